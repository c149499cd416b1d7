using GrpcDvc.Server.Dossiers.History;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace GrpcDvc.Server.Dossiers.Processing;

/// <summary>"Dvc:Dossiers:OverdueSweep".</summary>
public sealed class OverdueSweepOptions
{
    public const string Section = "Dvc:Dossiers:OverdueSweep";

    /// <summary>How often each instance looks for dossiers past due.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Dossiers flagged per database round at most (the sweep goes on until none is left).</summary>
    public int BatchSize { get; set; } = 200;

    public void Validate()
    {
        if (Interval <= TimeSpan.Zero || BatchSize < 1)
        {
            throw new InvalidOperationException($"{Section}: Interval must be positive and BatchSize at least 1.");
        }
    }
}

/// <summary>
/// Flags unfinished dossiers past their due time: sets dossiers.overdue_at and appends one MARK_OVERDUE
/// event by the system (no status change), each dossier in its own transaction, conditional on the
/// version read like any change. Idempotent: a flagged dossier is never flagged again (until a
/// supplement moves its due date past now and clears the flag), and instances sweeping at once
/// lose the version race rather than flag twice. Dossiers waiting for the citizen or holding their
/// result are not late (the state machine's MarkOverdue statuses).
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class OverdueSweepJob(IServiceScopeFactory scopes, OverdueSweepOptions options, TimeProvider time, ILogger<OverdueSweepJob> logger) : IJob
{
    public static readonly JobKey Key = new("dossier-overdue-sweep", "dossiers");

    /// <summary>The history's name of the actor of the system's own changes.</summary>
    public const string SystemName = "Hệ thống";

    public const string SystemRole = "system";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
        => await RunAsync(cancellationToken);

    /// <summary>One sweep; the number of dossiers flagged.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var late = DossierStateMachine.AllowedFrom(DossierAction.MarkOverdue).Select(DossierStatuses.Code).ToList();
        var flagged = 0;
        var skipped = new HashSet<Guid>();
        while (true)
        {
            var now = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
            var rows = await db.Dossiers().AsNoTracking()
                .Where(d => d.OverdueAt == null && d.DueAt != null && d.DueAt < now && late.Contains(d.Status) && !skipped.Contains(d.Id))
                .OrderBy(d => d.DueAt)
                .Take(options.BatchSize)
                .ToListAsync(cancellationToken);
            if (rows.Count == 0)
            {
                break;
            }

            foreach (var row in rows)
            {
                if (await FlagAsync(db, row, now, cancellationToken))
                {
                    flagged++;
                    scope.ServiceProvider.GetRequiredService<IDossierChanges>().Changed(row.Code);
                }
                else
                {
                    skipped.Add(row.Id);
                }
            }
        }

        if (flagged > 0)
        {
            LogFlagged(flagged);
        }

        return flagged;
    }

    private static async Task<bool> FlagAsync(DvcDbContext db, DossierRecord row, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Each flag its own unit of work: a lost race leaves nothing tracked for the next.
        db.ChangeTracker.Clear();
        db.Dossiers().Attach(row);
        var status = row.Status;
        var seen = row.Version;
        row.OverdueAt = now;
        row.Version++;
        row.UpdatedAt = now;
        var flag = new DossierEventRecord
        {
            At = now,
            Action = DossierActions.Code(DossierAction.MarkOverdue),
            FromStatus = status,
            ToStatus = status,
            ActorId = null,
            ActorName = SystemName,
            ActorRole = SystemRole,
            Documents = HistoryChain.Documents([]),
            PreviousHash = string.Empty,
            Hash = string.Empty,
        };
        HistoryChain.Link(row, flag);
        db.DossierEvents().Add(flag);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            // Changed meanwhile (another instance flagged it, or an official moved it on): whichever write of the
            // two met the other first (the dossier's version or the event's sequence), the next sweep looks again.
            db.ChangeTracker.Clear();
            if (await db.Dossiers().AsNoTracking().AnyAsync(d => d.Id == row.Id && d.Version != seen, cancellationToken))
            {
                return false;
            }

            throw;
        }
    }

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Overdue sweep: {Count} dossiers flagged past due.")]
    private partial void LogFlagged(int count);
}
