using GrpcDvc.Server.Storage;

namespace GrpcDvc.Server.Dossiers.Attachments;

/// <summary>
/// Where attachments' bytes live, by their SHA-256: each content once, however many attachments share it. Every
/// store keeps a row in attachment_contents (its size and when it was last stored); the database store keeps the
/// bytes in that row, the others elsewhere (content NULL). Put and Remove run inside the caller's transaction on
/// <c>db</c>, which holds the content's row locked until it ends, so an upload and the purge never interleave on one content.
/// </summary>
public interface IAttachmentContentStore
{
    /// <summary>
    /// Makes sure the content is stored (the row, and the bytes where this store keeps them), reading
    /// <paramref name="content"/> only when they are not stored yet. What it returns lets
    /// <see cref="AbandonAsync"/> undo it if the transaction does not commit.
    /// </summary>
    Task<StoredContent> PutAsync(DvcDbContext db, string sha256, long size, Stream content, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Removes what <see cref="PutAsync"/> wrote outside the database (call it before rolling back).</summary>
    void Abandon(StoredContent stored);

    /// <summary>The bytes, or null when no content has this hash.</summary>
    Task<Stream?> OpenReadAsync(DvcDbContext db, string sha256, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the content if it is still unreferenced and was last stored before <paramref name="storedBefore"/>
    /// (one conditional DELETE, then the bytes held outside); true when it was deleted.
    /// </summary>
    Task<bool> RemoveIfUnusedAsync(DvcDbContext db, string sha256, DateTimeOffset storedBefore, CancellationToken cancellationToken);
}

/// <summary>What one Put did: the file it created outside the database, if any.</summary>
public sealed record StoredContent(string Sha256, string? CreatedFile);
