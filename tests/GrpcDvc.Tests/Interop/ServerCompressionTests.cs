using Google.Protobuf;
using Grpc.Testing;
using GrpcDvc.Grpc.Wire;
using GrpcDvc.Tests.Support;

namespace GrpcDvc.Tests.Interop;

/// <summary>
/// The interop cases server_compressed_unary and server_compressed_streaming, which the Ruby
/// client does not run: they need the compressed flag of each response message, so they are
/// checked on the raw HTTP/2 response.
/// </summary>
public sealed class ServerCompressionTests(InProcessServerFixture fixture) : IClassFixture<InProcessServerFixture>
{
    private const string UnaryCall = "/grpc.testing.TestService/UnaryCall";
    private const string StreamingOutputCall = "/grpc.testing.TestService/StreamingOutputCall";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ServerCompressedUnary_ResponseFlag_FollowsResponseCompressed(bool compressed)
    {
        var request = new SimpleRequest
        {
            ResponseSize = 314_159,
            Payload = new Payload { Body = ByteString.CopyFrom(new byte[271_828]) },
            ResponseCompressed = new BoolValue { Value = compressed },
        };

        var response = await PostAsync(UnaryCall, request, acceptEncoding: "gzip,identity");

        Assert.Equal(StatusCode.OK, response.GrpcStatus);
        var message = Assert.Single(await GrpcFrames.SplitAsync(response.Body));
        Assert.Equal(compressed, message.Compressed);
        Assert.Equal(314_159, SimpleResponse.Parser.ParseFrom(Payload(message)).Payload.Body.Length);
    }

    [Fact]
    public async Task ServerCompressedUnary_ClientWithoutGzip_GetsItUncompressed()
    {
        var request = new SimpleRequest { ResponseSize = 1000, ResponseCompressed = new BoolValue { Value = true } };

        var response = await PostAsync(UnaryCall, request, acceptEncoding: "identity");

        var message = Assert.Single(await GrpcFrames.SplitAsync(response.Body));
        Assert.False(message.Compressed);
        Assert.False(response.Headers.ContainsKey("grpc-encoding"));
    }

    [Fact]
    public async Task ServerCompressedStreaming_EachMessageFlag_FollowsItsParameters()
    {
        var request = new StreamingOutputCallRequest
        {
            ResponseParameters =
            {
                new ResponseParameters { Size = 31_415, Compressed = new BoolValue { Value = true } },
                new ResponseParameters { Size = 92_653, Compressed = new BoolValue { Value = false } },
            },
        };

        var response = await PostAsync(StreamingOutputCall, request, acceptEncoding: "gzip");

        Assert.Equal(StatusCode.OK, response.GrpcStatus);
        var messages = await GrpcFrames.SplitAsync(response.Body);
        Assert.Equal([true, false], messages.Select(m => m.Compressed));
        Assert.Equal([31_415, 92_653], messages.Select(m => StreamingOutputCallResponse.Parser.ParseFrom(Payload(m)).Payload.Body.Length));
    }

    private Task<RawResponse> PostAsync(string path, IMessage request, string acceptEncoding)
        => RawGrpc.PostAsync(fixture.Server.GrpcAddress, path, MessageFraming.Frame(request),
            headers: new Dictionary<string, string> { ["grpc-accept-encoding"] = acceptEncoding });

    private static byte[] Payload(ReceivedMessage message)
        => message.Compressed ? Compression.Decompress(Compression.Gzip, message.Payload, int.MaxValue) : message.Payload;
}
