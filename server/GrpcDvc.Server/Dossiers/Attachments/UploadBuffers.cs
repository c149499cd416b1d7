namespace GrpcDvc.Server.Dossiers.Attachments;

/// <summary>Where uploads are buffered while they arrive (Dvc:Dossiers:Attachments:BufferDirectory).</summary>
public sealed class UploadBuffers(string directory)
{
    public string Directory { get; } = Path.GetFullPath(directory);

    public UploadBuffer Create() => UploadBuffer.Create(Directory);
}
