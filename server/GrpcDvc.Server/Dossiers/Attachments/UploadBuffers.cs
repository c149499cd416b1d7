namespace GrpcDvc.Server.Dossiers.Attachments;

/// <summary>Where uploads are buffered while they arrive (Dvc:Dossiers:Attachments:BufferDirectory).</summary>
public sealed class UploadBuffers(string directory)
{
    public string Directory { get; } = Path.GetFullPath(directory);

    public UploadBuffer Create() => UploadBuffer.Create(Directory);

    /// <summary>Removes buffers last written before <paramref name="before"/>: left by a process killed mid-upload. The number removed.</summary>
    public int RemoveLeftovers(DateTimeOffset before)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return 0;
        }

        var stale = new DirectoryInfo(Directory).EnumerateFiles().Where(f => f.LastWriteTimeUtc < before.UtcDateTime).ToList();
        stale.ForEach(f => f.Delete());
        return stale.Count;
    }
}
