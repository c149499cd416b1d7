using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Dossiers.Attachments;

/// <summary>
/// Contents as files named by their hash, <c>&lt;root&gt;/&lt;sha[0..2]&gt;/&lt;sha&gt;</c> (256 folders, so none grows
/// huge), each written to a temporary file beside its place, flushed to disk and renamed into place (a reader never
/// sees half a file); attachment_contents keeps the row with content NULL. The file is written while the
/// transaction holds the content's row, and removed again if it does not commit.
/// </summary>
public sealed class DirectoryContentStore(string root) : IAttachmentContentStore
{
    /// <summary>Temporary files end with this; the purge removes leftovers of a crashed instance.</summary>
    public const string TemporarySuffix = ".partial";

    public string Root { get; } = Path.GetFullPath(root);

    public string PathOf(string sha256) => Path.Combine(Root, sha256[..2], sha256);

    public async Task<StoredContent> PutAsync(DvcDbContext db, string sha256, long size, Stream content, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await ContentRows.TouchAsync(db, sha256, now, bytesInRow: false, cancellationToken) == 0)
        {
            await ContentRows.UpsertAsync(db, sha256, size, null, now, cancellationToken);
        }

        var path = PathOf(sha256);
        if (File.Exists(path))
        {
            return new StoredContent(sha256, null);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}{TemporarySuffix}";
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(file, cancellationToken);
                // On disk before the rename and the commit: a crash must not leave a row whose file is empty.
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        return new StoredContent(sha256, path);
    }

    public void Abandon(StoredContent stored)
    {
        if (stored.CreatedFile is { } file)
        {
            File.Delete(file);
        }
    }

    public async Task<Stream?> OpenReadAsync(DvcDbContext db, string sha256, CancellationToken cancellationToken)
    {
        if (!await db.AttachmentContents().AnyAsync(c => c.Sha256 == sha256, cancellationToken))
        {
            return null;
        }

        return new FileStream(PathOf(sha256), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous);
    }

    public async Task<bool> RemoveIfUnusedAsync(DvcDbContext db, string sha256, DateTimeOffset storedBefore, CancellationToken cancellationToken)
    {
        if (await ContentRows.DeleteIfUnusedAsync(db, sha256, storedBefore, cancellationToken) == 0)
        {
            return false;
        }

        // Before the commit, while the row is still held: an upload of these bytes waiting on it writes its file afterwards.
        File.Delete(PathOf(sha256));
        return true;
    }

    /// <summary>
    /// Removes the files a crashed instance left behind, last written before <paramref name="before"/>: temporary
    /// files, and contents whose row never committed. The number removed.
    /// </summary>
    public async Task<int> RemoveLeftoversAsync(DvcDbContext db, DateTimeOffset before, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Root))
        {
            return 0;
        }

        var removed = 0;
        foreach (var folder in Directory.EnumerateDirectories(Root))
        {
            var old = new DirectoryInfo(folder).EnumerateFiles().Where(f => f.LastWriteTimeUtc < before.UtcDateTime).ToList();
            var named = old.Where(f => f.Name.Length == 64).Select(f => f.Name).ToList();
            var known = named.Count == 0
                ? []
                : (await db.AttachmentContents().AsNoTracking().Where(c => named.Contains(c.Sha256)).Select(c => c.Sha256).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
            foreach (var file in old.Where(f => f.Name.EndsWith(TemporarySuffix, StringComparison.Ordinal) || (f.Name.Length == 64 && !known.Contains(f.Name))))
            {
                file.Delete();
                removed++;
            }
        }

        return removed;
    }
}
