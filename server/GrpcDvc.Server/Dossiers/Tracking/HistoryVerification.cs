using GrpcDvc.Server.Dossiers.History;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Dossiers.Tracking;

/// <summary>
/// Verifies a stored history in batches of events read by sequence (keyset on the primary key), each
/// batch checked and dropped: memory stays bounded by two batches, not the history. The next batch is
/// read while the current one is checked (the database and the hashing overlap).
/// </summary>
public static class HistoryVerification
{
    public static async Task<ChainCheck> VerifyAsync(DvcDbContext db, DossierRecord dossier, int batchSize, CancellationToken cancellationToken)
    {
        var verifier = new ChainVerifier(dossier);
        // From the lowest number there can be, not from 0: a row slipped in as sequence 0 or below is read too.
        var batch = await BatchAsync(db, dossier.Id, long.MinValue, batchSize, cancellationToken);
        while (true)
        {
            var last = batch.Count == batchSize;
            var next = last ? BatchAsync(db, dossier.Id, batch[^1].Sequence, batchSize, cancellationToken) : null;
            bool unbroken;
            try
            {
                // The check runs on the pool while the context reads the next batch; the context is not shared with it.
                var current = batch;
                unbroken = await Task.Run(() => verifier.AddBatch(current), cancellationToken);
            }
            catch
            {
                if (next is not null)
                {
                    await next.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                }

                throw;
            }

            if (!unbroken || next is null)
            {
                if (next is not null)
                {
                    // Let the read in flight finish before the context is used or disposed.
                    await next.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                }

                return verifier.Finish();
            }

            batch = await next;
        }
    }

    private static Task<List<DossierEventRecord>> BatchAsync(DvcDbContext db, Guid dossierId, long after, int size, CancellationToken cancellationToken)
        => db.DossierEvents().AsNoTracking()
            .Where(e => e.DossierId == dossierId && e.Sequence > after)
            .OrderBy(e => e.Sequence)
            .Take(size)
            .ToListAsync(cancellationToken);
}
