namespace GrpcDvc.Server.Dossiers.Attachments;

/// <summary>The "Dvc:Dossiers:Attachments" configuration section; durations bind from "hh:mm:ss".</summary>
public sealed class AttachmentOptions
{
    public const string Section = "Dvc:Dossiers:Attachments";

    /// <summary>Largest chunk message's bytes; the contract says 64 KiB.</summary>
    public const int MaxChunkBytes = 64 * 1024;

    /// <summary>Largest file, checked on the header's declared size and again on the bytes as they arrive.</summary>
    public long MaxFileBytes { get; set; } = 10L * 1024 * 1024;

    /// <summary>Uploads one citizen may hold that no dossier has taken up yet.</summary>
    public int MaxUnclaimedPerOwner { get; set; } = 50;

    /// <summary>Bytes one citizen may hold in uploads no dossier has taken up yet.</summary>
    public long MaxUnclaimedBytesPerOwner { get; set; } = 200L * 1024 * 1024;

    /// <summary>Uploads one citizen may stream at once on one instance (each buffers up to MaxFileBytes on disk).</summary>
    public int MaxUploadsInFlightPerOwner { get; set; } = 4;

    /// <summary>An upload no dossier took up within this long is deleted by the purge.</summary>
    public TimeSpan UnclaimedTtl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often each instance runs the purge.</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Where the bytes go: "database" (attachment_contents.content, the default) or "directory".</summary>
    public string Store { get; set; } = DatabaseStoreName;

    /// <summary>The directory store's root; empty: "attachments" under Dvc:DataDir.</summary>
    public string Directory { get; set; } = "";

    /// <summary>Where an upload is buffered while it arrives; empty: "upload-buffers" under Dvc:DataDir.</summary>
    public string BufferDirectory { get; set; } = "";

    public const string DatabaseStoreName = "database";
    public const string DirectoryStoreName = "directory";

    public void Validate()
    {
        if (MaxFileBytes <= 0 || MaxUnclaimedPerOwner <= 0 || MaxUnclaimedBytesPerOwner <= 0 || MaxUploadsInFlightPerOwner <= 0)
        {
            throw new InvalidOperationException($"{Section}: the limits must be positive.");
        }

        if (MaxFileBytes > MaxUnclaimedBytesPerOwner)
        {
            throw new InvalidOperationException($"{Section}:MaxFileBytes is larger than MaxUnclaimedBytesPerOwner: no upload of that size could ever be accepted.");
        }

        if (UnclaimedTtl <= TimeSpan.Zero || PurgeInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{Section}: UnclaimedTtl and PurgeInterval must be positive.");
        }

        if (Store is not (DatabaseStoreName or DirectoryStoreName))
        {
            throw new InvalidOperationException($"{Section}:Store is '{DatabaseStoreName}' or '{DirectoryStoreName}', not '{Store}'.");
        }
    }
}
