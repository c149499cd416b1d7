using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Dossiers.Attachments;

/// <summary>
/// The attachment_contents statements every store shares, in SQL both databases run (INSERT … ON CONFLICT).
/// Each one writes the content's row first, so the transaction holds it (PostgreSQL: the row lock; SQLite:
/// the database's write lock) before any bytes go elsewhere.
/// </summary>
internal static class ContentRows
{
    /// <summary>Marks an existing content as stored now (so the purge leaves it); 1 if it exists (with its bytes in the row, when asked).</summary>
    public static Task<int> TouchAsync(DvcDbContext db, string sha256, DateTimeOffset now, bool bytesInRow, CancellationToken cancellationToken)
    {
        var at = now.ToUnixTimeMilliseconds();
        return bytesInRow
            ? db.Database.ExecuteSqlInterpolatedAsync($"UPDATE attachment_contents SET stored_at = {at} WHERE sha256 = {sha256} AND content IS NOT NULL", cancellationToken)
            : db.Database.ExecuteSqlInterpolatedAsync($"UPDATE attachment_contents SET stored_at = {at} WHERE sha256 = {sha256}", cancellationToken);
    }

    /// <summary>Adds the row, or (another upload of the same bytes got there first) marks it stored now and fills in missing bytes.</summary>
    public static Task<int> UpsertAsync(DvcDbContext db, string sha256, long size, byte[]? content, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var at = now.ToUnixTimeMilliseconds();
        return content is null
            ? db.Database.ExecuteSqlInterpolatedAsync(
                $"INSERT INTO attachment_contents (sha256, size, content, stored_at) VALUES ({sha256}, {size}, NULL, {at}) ON CONFLICT (sha256) DO UPDATE SET stored_at = excluded.stored_at",
                cancellationToken)
            : db.Database.ExecuteSqlInterpolatedAsync(
                $"INSERT INTO attachment_contents (sha256, size, content, stored_at) VALUES ({sha256}, {size}, {content}, {at}) ON CONFLICT (sha256) DO UPDATE SET stored_at = excluded.stored_at, content = COALESCE(attachment_contents.content, excluded.content)",
                cancellationToken);
    }

    /// <summary>Deletes the row if no attachment refers to it and it was last stored before the cut-off; 1 if deleted.</summary>
    public static Task<int> DeleteIfUnusedAsync(DvcDbContext db, string sha256, DateTimeOffset storedBefore, CancellationToken cancellationToken)
    {
        var before = storedBefore.ToUnixTimeMilliseconds();
        return db.Database.ExecuteSqlInterpolatedAsync(
            $"DELETE FROM attachment_contents WHERE sha256 = {sha256} AND stored_at < {before} AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.sha256 = attachment_contents.sha256)",
            cancellationToken);
    }
}
