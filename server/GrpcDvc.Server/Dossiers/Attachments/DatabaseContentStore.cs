using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Dossiers.Attachments;

/// <summary>
/// The embedded default: the bytes in attachment_contents.content, so one database file (or one PostgreSQL
/// backup) holds everything. A content is read into memory once to be stored, which the per-file limit bounds.
/// </summary>
public sealed class DatabaseContentStore : IAttachmentContentStore
{
    public async Task<StoredContent> PutAsync(DvcDbContext db, string sha256, long size, Stream content, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await ContentRows.TouchAsync(db, sha256, now, bytesInRow: true, cancellationToken) == 0)
        {
            var bytes = new byte[size];
            await content.ReadExactlyAsync(bytes, cancellationToken);
            await ContentRows.UpsertAsync(db, sha256, size, bytes, now, cancellationToken);
        }

        return new StoredContent(sha256, null);
    }

    public void Abandon(StoredContent stored)
    {
        // Nothing outside the transaction: its rollback takes the row back.
    }

    public async Task<Stream?> OpenReadAsync(DvcDbContext db, string sha256, CancellationToken cancellationToken)
    {
        var bytes = await db.AttachmentContents().AsNoTracking().Where(c => c.Sha256 == sha256).Select(c => c.Content).FirstOrDefaultAsync(cancellationToken);
        return bytes is null ? null : new MemoryStream(bytes, writable: false);
    }

    public async Task<bool> RemoveIfUnusedAsync(DvcDbContext db, string sha256, DateTimeOffset storedBefore, CancellationToken cancellationToken)
        => await ContentRows.DeleteIfUnusedAsync(db, sha256, storedBefore, cancellationToken) == 1;
}
