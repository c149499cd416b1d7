using GrpcDvc.Server.Dossiers.History;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Dossiers.Tracking;

/// <summary>
/// Verifies a stored history in batches of events read by sequence (keyset on the primary key), each
/// batch checked and dropped before the next is read: memory stays bounded by the batch, not the history.
/// </summary>
public static class HistoryVerification
{
    public static async Task<ChainCheck> VerifyAsync(DvcDbContext db, DossierRecord dossier, int batchSize, CancellationToken cancellationToken)
    {
        var verifier = new ChainVerifier(dossier);
        // From the lowest number there can be, not from 0: a row slipped in as sequence 0 or below is read too.
        var after = long.MinValue;
        while (true)
        {
            var batch = await db.DossierEvents().AsNoTracking()
                .Where(e => e.DossierId == dossier.Id && e.Sequence > after)
                .OrderBy(e => e.Sequence)
                .Take(batchSize)
                .ToListAsync(cancellationToken);
            foreach (var e in batch)
            {
                if (!verifier.Add(e))
                {
                    return verifier.Finish();
                }
            }

            if (batch.Count < batchSize)
            {
                return verifier.Finish();
            }

            after = batch[^1].Sequence;
        }
    }
}
