using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;

namespace GrpcDvc.Grpc.Wire;

/// <summary>
/// Length-prefixed messages (PROTOCOL-HTTP2.md): Compressed-Flag (1 byte), Message-Length
/// (4 bytes, big-endian), Message. Shared by the server binding and the client.
/// </summary>
public static class MessageFraming
{
    /// <summary>Largest framed message written into one span: Kestrel's pooled blocks are 4 KiB.</summary>
    private const int ContiguousWriteLimit = 4096;

    /// <summary>
    /// Reads the next message's payload, or null when the stream ended cleanly between messages.
    /// A stream that ends inside a message is INTERNAL; a message over the limit is
    /// RESOURCE_EXHAUSTED, detected from its prefix before the body is buffered.
    /// </summary>
    public static ValueTask<ReceivedMessage?> ReadMessageAsync(
        PipeReader reader, int maxMessageSize, CancellationToken cancellationToken)
        => ReadMessageAsync<object?, ReceivedMessage>(reader, maxMessageSize, null,
            static (_, payload, compressed) => new ReceivedMessage(compressed, payload.ToArray()), cancellationToken);

    /// <summary>
    /// As <see cref="ReadMessageAsync(PipeReader, int, CancellationToken)"/>, but hands the payload to
    /// <paramref name="read"/> while it is still in the pipe's buffers (no copy); the payload is
    /// consumed afterwards whether <paramref name="read"/> returns or throws.
    /// </summary>
    /// <param name="trailingDataError">
    /// For a request that must hold only this message (unary): the INTERNAL status detail when
    /// anything follows it. When the message and the end of the stream arrive in one read (the
    /// usual case), that takes no second read.
    /// </param>
    internal static async ValueTask<T?> ReadMessageAsync<TState, T>(
        PipeReader reader, int maxMessageSize, TState state,
        Func<TState, ReadOnlySequence<byte>, bool, T> read, CancellationToken cancellationToken, string? trailingDataError = null)
        where T : class
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;

            if (TryParseHeader(buffer, out var compressed, out var length))
            {
                if (length > maxMessageSize)
                {
                    reader.AdvanceTo(buffer.Start, buffer.End);
                    throw new RpcException(StatusCode.ResourceExhausted,
                        $"Received message exceeds the maximum configured message size ({length} > {maxMessageSize}).");
                }

                var total = GrpcProtocol.HeaderSize + length;
                if (buffer.Length >= total)
                {
                    T message;
                    try
                    {
                        message = read(state, buffer.Slice(GrpcProtocol.HeaderSize, length), compressed);
                    }
                    finally
                    {
                        reader.AdvanceTo(buffer.GetPosition(total));
                    }

                    if (trailingDataError is null || (result.IsCompleted && buffer.Length == total))
                    {
                        return message;
                    }

                    if (buffer.Length > total || !await IsAtEndAsync(reader, cancellationToken))
                    {
                        throw new RpcException(StatusCode.Internal, trailingDataError);
                    }

                    return message;
                }
            }

            if (result.IsCompleted)
            {
                var leftover = buffer.Length;
                reader.AdvanceTo(buffer.End);
                if (leftover == 0)
                {
                    return null;
                }

                throw new RpcException(StatusCode.Internal, "Incomplete message: the request ended inside a message frame.");
            }

            if (result.IsCanceled)
            {
                throw new OperationCanceledException(cancellationToken);
            }

            // Not enough yet: consume nothing, but mark everything examined so the next read waits for more.
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>True when the stream has nothing after the current position (for unary requests).</summary>
    public static async ValueTask<bool> IsAtEndAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var length = result.Buffer.Length;
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            if (length > 0)
            {
                return false;
            }

            if (result.IsCompleted)
            {
                return true;
            }
        }
    }

    /// <summary>Writes one uncompressed message with its prefix; the caller flushes.</summary>
    public static void WriteMessage(IBufferWriter<byte> writer, IMessage message)
        => WriteMessage(writer, message, message.CalculateSize());

    /// <summary>Writes one uncompressed message whose size the caller already calculated.</summary>
    internal static void WriteMessage(IBufferWriter<byte> writer, IMessage message, int size)
    {
        // A small message (the usual case) is written with its prefix into one span, asked for
        // whole; a larger one is spread by protobuf over as many buffers as it needs, rather than
        // making the writer find one contiguous block for it.
        var framed = GrpcProtocol.HeaderSize + size;
        var span = framed <= ContiguousWriteLimit ? writer.GetSpan(framed) : default;
        if (span.Length >= framed)
        {
            span[0] = 0;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)size);
            message.WriteTo(span.Slice(GrpcProtocol.HeaderSize, size));
            writer.Advance(framed);
            return;
        }

        WriteHeader(writer, compressed: false, size);
        if (size > 0)
        {
            message.WriteTo(writer);
        }
    }

    /// <summary>Writes an already-serialized (possibly compressed) payload with its prefix.</summary>
    public static void WritePayload(IBufferWriter<byte> writer, ReadOnlySpan<byte> payload, bool compressed)
    {
        WriteHeader(writer, compressed, payload.Length);
        writer.Write(payload);
    }

    public static byte[] Frame(IMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        WriteMessage(buffer, message);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteHeader(IBufferWriter<byte> writer, bool compressed, int length)
    {
        var span = writer.GetSpan(GrpcProtocol.HeaderSize);
        span[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)length);
        writer.Advance(GrpcProtocol.HeaderSize);
    }

    private static bool TryParseHeader(ReadOnlySequence<byte> buffer, out bool compressed, out long length)
    {
        compressed = false;
        length = 0;
        if (buffer.Length < GrpcProtocol.HeaderSize)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[GrpcProtocol.HeaderSize];
        buffer.Slice(0, GrpcProtocol.HeaderSize).CopyTo(header);
        if (header[0] > 1)
        {
            throw new RpcException(StatusCode.Internal, $"Invalid compressed flag {header[0]} in message prefix.");
        }

        compressed = header[0] == 1;
        length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        return true;
    }
}

/// <summary>One received message: its payload as sent, and whether it is compressed.</summary>
public sealed record ReceivedMessage(bool Compressed, byte[] Payload);
