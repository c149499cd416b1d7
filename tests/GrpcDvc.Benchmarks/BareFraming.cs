using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;

namespace GrpcDvc.Benchmarks;

/// <summary>
/// gRPC length-prefixed messages written from the spec for the bare target, deliberately
/// independent of the binding's Wire/ code: 1 byte compressed flag, 4 bytes big-endian length.
/// </summary>
public static class BareFraming
{
    private const int HeaderSize = 5;

    public static void Write(IBufferWriter<byte> writer, IMessage message)
    {
        var size = message.CalculateSize();
        var span = writer.GetSpan(HeaderSize + size);
        span[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)size);
        message.WriteTo(span.Slice(HeaderSize, size));
        writer.Advance(HeaderSize + size);
    }

    public static byte[] Frame(IMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(buffer, message);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Reads a request body that must hold exactly one uncompressed message; default when it
    /// holds none, more than one, a compressed one, or ends inside one.
    /// </summary>
    public static async ValueTask<T?> ReadSingleAsync<T>(PipeReader reader, MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        T? message = null;
        var malformed = false;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (message is null && !malformed && TryReadHeader(buffer, out var flag, out var length))
            {
                malformed = flag != 0;
                if (!malformed && buffer.Length >= HeaderSize + length)
                {
                    message = parser.ParseFrom(buffer.Slice(HeaderSize, length));
                    buffer = buffer.Slice(HeaderSize + length);
                }
            }

            malformed |= message is not null && buffer.Length > 0;
            reader.AdvanceTo(malformed ? buffer.End : buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return malformed ? null : message;
            }
        }
    }

    private static bool TryReadHeader(ReadOnlySequence<byte> buffer, out byte flag, out uint length)
    {
        flag = 0;
        length = 0;
        if (buffer.Length < HeaderSize)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[HeaderSize];
        buffer.Slice(0, HeaderSize).CopyTo(header);
        flag = header[0];
        length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        return true;
    }
}
