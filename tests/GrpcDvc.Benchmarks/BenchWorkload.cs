using Google.Protobuf;
using GrpcDvc.Benchmarks.Contract;

namespace GrpcDvc.Benchmarks;

/// <summary>
/// The messages both targets exchange and the exact response bytes a correct answer has, so
/// the driver can check h2load's byte totals (h2load itself ignores grpc-status).
/// </summary>
public sealed class BenchWorkload
{
    public const string EchoPath = "/dvc.bench.v1.BenchService/Echo";
    public const string StreamPath = "/dvc.bench.v1.BenchService/Stream";

    public BenchWorkload(int payloadBytes, int streamCount)
    {
        var data = new byte[payloadBytes];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (byte)(i % 251);
        }

        Payload = new Payload { Data = ByteString.CopyFrom(data) };
        StreamRequest = new StreamRequest { Count = streamCount };
    }

    /// <summary>The unary request (echoed back) and the item a stream repeats.</summary>
    public Payload Payload { get; }

    public StreamRequest StreamRequest { get; }

    public byte[] EchoRequestBody => BareFraming.Frame(Payload);

    public byte[] EchoResponseBody => BareFraming.Frame(Payload);

    public byte[] StreamRequestBody => BareFraming.Frame(StreamRequest);

    public byte[] StreamResponseBody
    {
        get
        {
            var one = BareFraming.Frame(Payload);
            var all = new byte[one.Length * StreamRequest.Count];
            for (var i = 0; i < StreamRequest.Count; i++)
            {
                one.CopyTo(all, i * one.Length);
            }

            return all;
        }
    }
}
