using System.Buffers;
using System.Buffers.Text;

namespace GrpcDvc.Grpc.Internal;

/// <summary>
/// Base64-encodes a gRPC-Web text response on its way out. Whole 3-byte groups are encoded as
/// they are written; the 0–2 bytes left over wait for the next write or go out padded on flush.
/// The binding flushes after every message, so each message (and the trailer frame) usually
/// becomes its own padded base64 chunk, which PROTOCOL-WEB.md allows clients to expect.
/// </summary>
internal sealed class Base64ResponseStream(Stream inner) : Stream
{
    private readonly byte[] _carry = new byte[2];
    private int _carryLength;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var (encoded, length) = Encode(buffer.Span, final: false);
        try
        {
            await inner.WriteAsync(encoded.AsMemory(0, length), cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(encoded);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        var (encoded, length) = Encode(buffer.AsSpan(offset, count), final: false);
        inner.Write(encoded, 0, length);
        ArrayPool<byte>.Shared.Return(encoded);
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        var (encoded, length) = Encode([], final: true);
        try
        {
            await inner.WriteAsync(encoded.AsMemory(0, length), cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(encoded);
        }

        await inner.FlushAsync(cancellationToken);
    }

    public override void Flush()
    {
        var (encoded, length) = Encode([], final: true);
        inner.Write(encoded, 0, length);
        ArrayPool<byte>.Shared.Return(encoded);
        inner.Flush();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Encodes the carried bytes plus <paramref name="data"/>; returns a pooled buffer the caller returns.</summary>
    private (byte[] Encoded, int Length) Encode(ReadOnlySpan<byte> data, bool final)
    {
        var total = _carryLength + data.Length;
        var output = ArrayPool<byte>.Shared.Rent(Base64.GetMaxEncodedToUtf8Length(total + 2));
        var length = 0;
        if (_carryLength > 0 && (total >= 3 || final))
        {
            // Complete the carried group from the new data first.
            Span<byte> group = stackalloc byte[3];
            _carry.AsSpan(0, _carryLength).CopyTo(group);
            var fill = Math.Min(3 - _carryLength, data.Length);
            data[..fill].CopyTo(group[_carryLength..]);
            Base64.EncodeToUtf8(group[..(_carryLength + fill)], output, out _, out length);
            data = data[fill..];
            _carryLength = 0;
        }

        Base64.EncodeToUtf8(data, output.AsSpan(length), out var consumed, out var written, isFinalBlock: final);
        length += written;
        data[consumed..].CopyTo(_carry.AsSpan(_carryLength));
        _carryLength += data.Length - consumed;
        return (output, length);
    }
}
