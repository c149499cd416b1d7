using System.Security.Cryptography;

namespace GrpcDvc.Server.Dossiers.Attachments;

/// <summary>
/// One upload's bytes while they arrive: a temporary file (never the whole file in memory), hashed as it is
/// written, its first bytes kept to tell the type. The file is deleted when the buffer is disposed, whatever ended
/// the call (FileOptions.DeleteOnClose); a process killed mid-upload leaves it, for the purge to remove.
/// </summary>
public sealed class UploadBuffer : IAsyncDisposable
{
    private readonly FileStream _file;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _head = new byte[ContentTypes.SniffLength];

    private UploadBuffer(FileStream file) => _file = file;

    /// <summary>A new buffer in <paramref name="directory"/> (created if missing).</summary>
    public static UploadBuffer Create(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{Guid.NewGuid():N}.upload");
        return new UploadBuffer(new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.Asynchronous | FileOptions.DeleteOnClose));
    }

    public long Length { get; private set; }

    /// <summary>The file's first bytes (up to <see cref="ContentTypes.SniffLength"/>).</summary>
    public ReadOnlySpan<byte> Head => _head.AsSpan(0, (int)Math.Min(Length, _head.Length));

    public async Task AppendAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        if (Length < _head.Length)
        {
            var take = (int)Math.Min(_head.Length - Length, chunk.Length);
            chunk.Span[..take].CopyTo(_head.AsSpan((int)Length));
        }

        _hash.AppendData(chunk.Span);
        await _file.WriteAsync(chunk, cancellationToken);
        Length += chunk.Length;
    }

    /// <summary>Lowercase hex SHA-256 of everything appended (call once, at the end).</summary>
    public string Sha256() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    /// <summary>The bytes from the start, to read once; the buffer still owns (and disposes) the stream.</summary>
    public async Task<Stream> RewindAsync(CancellationToken cancellationToken)
    {
        await _file.FlushAsync(cancellationToken);
        _file.Position = 0;
        return _file;
    }

    public async ValueTask DisposeAsync()
    {
        _hash.Dispose();
        await _file.DisposeAsync();
    }
}
