using System.Buffers.Text;
using GrpcDvc.Grpc.Wire;

namespace GrpcDvc.Grpc.Internal;

/// <summary>
/// The decoded bytes of a gRPC-Web text request body. The body may be several base64 chunks
/// one after another, each with its own padding ("AAAAAA==AAAA"), so padding ends a chunk,
/// not the stream. Line breaks and spaces between characters are ignored.
/// </summary>
internal sealed class Base64RequestStream(Stream encoded) : Stream
{
    private readonly byte[] _text = new byte[4096];
    private readonly byte[] _decoded = new byte[4096 / 4 * 3];
    private int _textLength;
    private int _decodedStart;
    private int _decodedEnd;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_decodedStart == _decodedEnd)
        {
            var read = await encoded.ReadAsync(_text.AsMemory(_textLength), cancellationToken);
            if (!Decode(read))
            {
                return 0;
            }
        }

        return Take(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        while (_decodedStart == _decodedEnd)
        {
            if (!Decode(encoded.Read(_text, _textLength, _text.Length - _textLength)))
            {
                return 0;
            }
        }

        return Take(buffer.AsSpan(offset, count));
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Take(Span<byte> destination)
    {
        var count = Math.Min(destination.Length, _decodedEnd - _decodedStart);
        _decoded.AsSpan(_decodedStart, count).CopyTo(destination);
        _decodedStart += count;
        return count;
    }

    /// <summary>Decodes every whole 4-character group read so far; false at the clean end of the body.</summary>
    private bool Decode(int read)
    {
        if (read == 0)
        {
            return _textLength == 0
                ? false
                : throw new RpcException(StatusCode.Internal, "The gRPC-Web text request ends inside a base64 group.");
        }

        _textLength = DropWhitespace(_text.AsSpan(_textLength, read)) + _textLength;
        var groups = _textLength / 4 * 4;
        var pending = _text.AsSpan(0, groups);
        var written = 0;
        while (pending.Length > 0)
        {
            // A run ends with the first padded group; the next chunk starts after it.
            var padding = pending.IndexOf((byte)'=');
            var run = padding < 0 ? pending.Length : ((padding / 4) + 1) * 4;
            if (Base64.DecodeFromUtf8(pending[..run], _decoded.AsSpan(written), out _, out var bytes) != System.Buffers.OperationStatus.Done)
            {
                throw new RpcException(StatusCode.Internal, "The gRPC-Web text request is not valid base64.");
            }

            written += bytes;
            pending = pending[run..];
        }

        _text.AsSpan(groups, _textLength - groups).CopyTo(_text);
        _textLength -= groups;
        _decodedStart = 0;
        _decodedEnd = written;
        return true;
    }

    private static int DropWhitespace(Span<byte> text)
    {
        var kept = 0;
        foreach (var b in text)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                text[kept++] = b;
            }
        }

        return kept;
    }
}
