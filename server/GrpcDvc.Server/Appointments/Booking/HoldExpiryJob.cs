using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace GrpcDvc.Server.Appointments.Booking;

/// <summary>
/// Returns expired holds to the pool: each hold past hold_expires_at and still HELD becomes EXPIRED
/// (active_procedure cleared, so the citizen may book again), its place freed by a conditional
/// decrement, and an expire change recorded; one transaction per batch. Each appointment is changed
/// only while it is still an expired hold (the update's condition), so a confirmation or a cancel
/// that wins the race keeps its place, and a second run, or a second instance, changes nothing.
/// Expired holds already refuse confirmation without this job; it gives their places back.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class HoldExpiryJob(IServiceScopeFactory scopes, BookingOptions options, BookingGate gate, TimeProvider time, ILogger<HoldExpiryJob> logger) : IJob
{
    public static readonly JobKey Key = new("appointment-hold-expiry", "appointments");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
        => await RunAsync(cancellationToken);

    /// <summary>One run; the number of holds expired.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var expired = 0;
        var seen = new HashSet<Guid>();
        while (true)
        {
            var now = AppointmentBooking.Now(time);
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
            var batch = await db.Set<AppointmentRecord>().AsNoTracking()
                .Where(a => a.Status == AppointmentStatuses.Held && a.HoldExpiresAt <= now && !seen.Contains(a.Id))
                .OrderBy(a => a.HoldExpiresAt)
                .Select(a => new { a.Id, a.SessionId })
                .Take(options.ExpiryBatchSize)
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            var freed = new List<long>();
            await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                foreach (var hold in batch)
                {
                    seen.Add(hold.Id);
                    var id = hold.Id;
                    var changed = await db.Set<AppointmentRecord>()
                        .Where(a => a.Id == id && a.Status == AppointmentStatuses.Held && a.HoldExpiresAt <= now)
                        .ExecuteUpdateAsync(u => u
                            .SetProperty(a => a.Status, AppointmentStatuses.Expired)
                            .SetProperty(a => a.ActiveProcedure, (string?)null)
                            .SetProperty(a => a.HoldExpiresAt, (DateTimeOffset?)null)
                            .SetProperty(a => a.EndedAt, now)
                            .SetProperty(a => a.Version, a => a.Version + 1), cancellationToken);
                    if (changed != 1)
                    {
                        continue;
                    }

                    var session = hold.SessionId;
                    await db.Set<StationSessionRecord>().Where(s => s.Id == session && s.Booked > 0)
                        .ExecuteUpdateAsync(u => u.SetProperty(s => s.Booked, s => s.Booked - 1), cancellationToken);
                    db.Set<AppointmentChangeRecord>().Add(new AppointmentChangeRecord
                    {
                        AppointmentId = id, Kind = AppointmentChangeKinds.Expire, FromSessionId = session, At = now,
                    });
                    freed.Add(session);
                }

                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }

            expired += freed.Count;
            freed.ForEach(gate.Freed);
        }

        if (expired > 0)
        {
            LogExpired(expired);
        }

        return expired;
    }

    [LoggerMessage(EventId = 1801, Level = LogLevel.Information, Message = "Hold expiry: {Count} holds expired, their places back in the pool.")]
    private partial void LogExpired(int count);
}
