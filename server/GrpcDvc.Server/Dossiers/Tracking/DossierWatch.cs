using Grpc.Core;
using GrpcDvc.Contracts.Dossiers.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Dossiers.Tracking;

/// <summary>
/// One WatchDossier call: the dossier as it is, then every event appended after it, in sequence order
/// and none skipped (each reread asks for the events after the last one sent), each with the dossier as
/// read then; the watch ends after sending a final status, or when the caller goes. It wakes when this
/// instance announces a change of the dossier (<see cref="DossierChangeFeed"/>) and every
/// <see cref="DossierTrackingOptions.WatchRereadInterval"/> regardless, for changes made elsewhere.
/// The read is logged once, when the watch starts.
/// </summary>
internal sealed class DossierWatch(DossierReads reads, DossierReadLog readLog, DvcDbContext db, DossierChangeFeed feed, DossierTrackingOptions options, TimeProvider time)
{
    public async Task RunAsync(string code, IServerStreamWriter<WatchDossierResponse> updates, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var ct = context.CancellationToken;
        var found = await reads.FindForAsync(caller, code, ct);
        using var subscription = feed.TrySubscribe(caller.AccountId, found.Code, options.MaxWatchesPerCaller)
            ?? throw TrackingErrors.TooManyWatches(options.MaxWatchesPerCaller);

        // Read again once subscribed: a change committed from here on either is in this read or wakes the watch.
        var dossier = await reads.CurrentAsync(found.Id, ct) ?? throw TrackingErrors.DossierNotFound(code);
        var first = await reads.MessageAsync(dossier, time.GetUtcNow(), ct);
        await readLog.WriteAsync(caller, dossier, await reads.PeopleConcernedAsync(dossier, ct), context.Method, ct);
        await updates.WriteAsync(new WatchDossierResponse { Dossier = first }, ct);
        var sent = dossier.EventCount;

        while (!DossierStatuses.IsFinal(DossierStatuses.Parse(dossier.Status)))
        {
            try
            {
                await subscription.WaitAsync(options.WatchRereadInterval, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }

            // The cheap question first: has anything been appended since the last event sent?
            var count = await db.Dossiers().AsNoTracking().Where(d => d.Id == found.Id).Select(d => (long?)d.EventCount).SingleOrDefaultAsync(ct);
            if (count is null)
            {
                return;
            }

            if (count <= sent)
            {
                continue;
            }

            dossier = await reads.CurrentAsync(found.Id, ct) ?? throw TrackingErrors.DossierNotFound(code);
            var upTo = dossier.EventCount;
            var after = sent;
            var events = await db.DossierEvents().AsNoTracking()
                .Where(e => e.DossierId == found.Id && e.Sequence > after && e.Sequence <= upTo)
                .OrderBy(e => e.Sequence)
                .ToListAsync(ct);
            var message = await reads.MessageAsync(dossier, time.GetUtcNow(), ct);
            foreach (var e in events)
            {
                await updates.WriteAsync(new WatchDossierResponse { Dossier = message, Event = DossierMessages.ToMessage(e) }, ct);
            }

            sent = upTo;
        }
    }
}
