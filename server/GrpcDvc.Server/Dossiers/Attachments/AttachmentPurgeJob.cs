using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace GrpcDvc.Server.Dossiers.Attachments;

/// <summary>
/// Deletes the uploads no dossier took up within <see cref="AttachmentOptions.UnclaimedTtl"/>, then the contents
/// no attachment refers to any more, and the files a crashed instance left behind (upload buffers; in the directory
/// store, temporary files and contents whose row never committed), every
/// <see cref="AttachmentOptions.PurgeInterval"/> on each instance. Idempotent: instances purging at once delete
/// each row once between them. An upload that takes up a content at the same moment wins: it marks the content
/// stored now, and the purge deletes only contents last stored before the cut-off, each in its own transaction
/// holding the content's row (see <see cref="IAttachmentContentStore"/>).
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class AttachmentPurgeJob(
    IServiceScopeFactory scopes, IAttachmentContentStore store, UploadBuffers buffers, AttachmentOptions options, TimeProvider time, ILogger<AttachmentPurgeJob> logger) : IJob
{
    public static readonly JobKey Key = new("attachment-purge", "dossiers");

    /// <summary>Contents looked at per round: a long backlog is purged in bounded reads.</summary>
    private const int Batch = 500;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
        => await RunAsync(cancellationToken);

    /// <summary>One purge: the attachments, contents and leftover files deleted.</summary>
    public async Task<AttachmentPurge> RunAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.UnclaimedTtl;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();

        // One conditional DELETE: a submission taking an attachment up at this moment holds its row, and wins.
        var attachments = await db.Attachments().Where(a => a.DossierId == null && a.UploadedAt < cutoff).ExecuteDeleteAsync(cancellationToken);

        var contents = 0;
        var skipped = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var candidates = await db.AttachmentContents().AsNoTracking()
                .Where(c => c.StoredAt < cutoff && !db.Attachments().Any(a => a.Sha256 == c.Sha256) && !skipped.Contains(c.Sha256))
                .OrderBy(c => c.Sha256).Select(c => c.Sha256).Take(Batch).ToListAsync(cancellationToken);
            foreach (var sha256 in candidates)
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                if (await store.RemoveIfUnusedAsync(db, sha256, cutoff, cancellationToken))
                {
                    contents++;
                }
                else
                {
                    // Taken up again since the read: keep it, and do not look at it twice in this run.
                    skipped.Add(sha256);
                }

                await transaction.CommitAsync(cancellationToken);
            }

            if (candidates.Count < Batch)
            {
                break;
            }
        }

        var leftovers = buffers.RemoveLeftovers(cutoff)
            + (store is DirectoryContentStore directory ? await directory.RemoveLeftoversAsync(db, cutoff, cancellationToken) : 0);
        var purge = new AttachmentPurge(attachments, contents, leftovers);
        if (purge != AttachmentPurge.Nothing)
        {
            LogPurged(attachments, contents, leftovers);
        }

        return purge;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Attachments purged: {Attachments} uploads no dossier took up, {Contents} contents no longer used, {Leftovers} leftover files.")]
    private partial void LogPurged(int attachments, int contents, int leftovers);
}

/// <summary>What one purge deleted.</summary>
public sealed record AttachmentPurge(int Attachments, int Contents, int Leftovers)
{
    public static AttachmentPurge Nothing { get; } = new(0, 0, 0);
}
