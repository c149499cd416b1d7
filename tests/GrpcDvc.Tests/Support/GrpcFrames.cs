using System.IO.Pipelines;
using Google.Protobuf;
using GrpcDvc.Grpc.Wire;

namespace GrpcDvc.Tests.Support;

/// <summary>Builds and splits length-prefixed message bodies for raw requests and responses.</summary>
internal static class GrpcFrames
{
    /// <summary>One message, gzip-compressed, with the compressed flag set.</summary>
    public static byte[] Gzipped(IMessage message)
    {
        var payload = Compression.Compress(Compression.Gzip, message.ToByteArray());
        var body = new byte[GrpcProtocol.HeaderSize + payload.Length];
        body[0] = 1;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(body, GrpcProtocol.HeaderSize);
        return body;
    }

    /// <summary>Every message in a response body, as sent (compressed or not).</summary>
    public static async Task<IReadOnlyList<ReceivedMessage>> SplitAsync(byte[] body)
    {
        var reader = PipeReader.Create(new MemoryStream(body));
        var messages = new List<ReceivedMessage>();
        while (await MessageFraming.ReadMessageAsync(reader, int.MaxValue, CancellationToken.None) is { } message)
        {
            messages.Add(message);
        }

        return messages;
    }
}
