using GrpcDvc.Server.Calendar;
using GrpcDvc.Server.Notifications;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace GrpcDvc.Server.Appointments.Door;

/// <summary>"Dvc:Appointments:NoShow".</summary>
public sealed class NoShowOptions
{
    public const string Section = "Dvc:Appointments:NoShow";

    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Sessions settled per database round at most (the run goes on until none is left).</summary>
    public int BatchSize { get; set; } = 100;

    public void Validate()
    {
        if (Interval <= TimeSpan.Zero || BatchSize < 1)
        {
            throw new InvalidOperationException($"{Section}: Interval must be positive and BatchSize at least 1.");
        }
    }
}

/// <summary>
/// Closes the books of sessions whose day is over: each confirmed appointment nobody checked in becomes a no-show
/// (final: active_procedure null, so the citizen may book again) with an SMS in the outbox saying so and how to book
/// again; a hold still open on it expires; the session's settled_at is set. A session is settled once its end has
/// passed AND its Vietnam date is before today: CheckIn accepts a citizen all day on the appointment's date (late
/// for the morning is still the same day), so nobody is marked absent while the station may still check them in.
/// Each session is one transaction, opened by the conditional update of its settled_at (settled_at IS NULL), and the
/// appointments move on their version: run twice, or by two instances, a session is settled once and nobody gets two
/// messages. Capacity: a no-show keeps its place in booked (the day is over, a freed place would serve nobody; the
/// place was taken and went unused, which is what utilization reports as no_shows beside booked); an expired hold
/// gives its place back, as hold expiry always does.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class NoShowJob(IServiceScopeFactory scopes, NoShowOptions options, TimeProvider time, ILogger<NoShowJob> logger) : IJob
{
    public static readonly JobKey Key = new("appointment-no-shows", "appointments");

    public const string NotificationKind = "appointment_no_show";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
        => await RunAsync(cancellationToken);

    /// <summary>One run; how many sessions it settled and how many no-shows it marked.</summary>
    public async Task<(int Sessions, int NoShows)> RunAsync(CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        var today = VietnamTime.DateOf(now);
        var (sessions, noShows) = (0, 0);
        var skipped = new HashSet<long>();
        while (!cancellationToken.IsCancellationRequested)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
            var ended = await db.Set<StationSessionRecord>().AsNoTracking()
                .Where(s => s.SettledAt == null && s.EndsAt < now && s.Date < today && !skipped.Contains(s.Id))
                .OrderBy(s => s.EndsAt)
                .Take(options.BatchSize)
                .ToListAsync(cancellationToken);
            if (ended.Count == 0)
            {
                break;
            }

            foreach (var session in ended)
            {
                if (await SettleAsync(db, session, now, cancellationToken) is { } marked)
                {
                    sessions++;
                    noShows += marked;
                }
                else
                {
                    skipped.Add(session.Id);
                }
            }
        }

        if (sessions > 0)
        {
            LogSettled(sessions, noShows);
        }

        return (sessions, noShows);
    }

    /// <summary>Settles one session; its no-shows, or null when another run settled it or an appointment moved meanwhile.</summary>
    private static async Task<int?> SettleAsync(DvcDbContext db, StationSessionRecord session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The first statement writes: on PostgreSQL it locks the session row, so a second settler waits and then finds
        // it settled; on SQLite the transaction takes the write lock before it reads anything.
        var claimed = await db.Set<StationSessionRecord>()
            .Where(s => s.Id == session.Id && s.SettledAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.SettledAt, now), cancellationToken);
        if (claimed == 0)
        {
            return null;
        }

        var open = await db.Set<AppointmentRecord>()
            .Where(a => a.SessionId == session.Id && (a.Status == AppointmentStatuses.Confirmed || a.Status == AppointmentStatuses.Held))
            .ToListAsync(cancellationToken);
        var expired = open.Count(a => a.Status == AppointmentStatuses.Held);
        if (expired > 0)
        {
            await db.Set<StationSessionRecord>().Where(s => s.Id == session.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Booked, x => x.Booked - expired), cancellationToken);
        }

        var station = await db.Set<StationRecord>().AsNoTracking().FirstAsync(s => s.Id == session.StationId, cancellationToken);
        foreach (var appointment in open)
        {
            var noShow = appointment.Status == AppointmentStatuses.Confirmed;
            appointment.Status = noShow ? AppointmentStatuses.NoShow : AppointmentStatuses.Expired;
            appointment.ActiveProcedure = null;
            appointment.EndedAt = now;
            appointment.Version++;
            db.Set<AppointmentChangeRecord>().Add(new AppointmentChangeRecord
            {
                AppointmentId = appointment.Id, Kind = noShow ? AppointmentChangeKinds.NoShow : AppointmentChangeKinds.Expire, At = now,
            });
            if (noShow)
            {
                NotificationOutbox.Enqueue(db, appointment.AccountId, NotificationKind, Text(appointment, session, station), now);
            }
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // An appointment changed between the read and the write (a late check-in, a cancellation): nothing of this
            // session is kept, and the next run settles it from what it is then.
            db.ChangeTracker.Clear();
            return null;
        }

        return open.Count - expired;
    }

    /// <summary>
    /// The SMS: the missed appointment, that it is over, and how to book again. In Vietnamese with its marks (names and
    /// station names carry them anyway; gateways send such texts as UCS-2).
    /// </summary>
    public static string Text(AppointmentRecord appointment, StationSessionRecord session, StationRecord station)
        => $"Cổng DVC: {appointment.FullName} đã không đến {station.Name} theo lịch hẹn {SlipHandler.SessionName(session.Part)} "
           + $"ngày {session.Date:dd/MM/yyyy}{(appointment.DossierCode is { } code ? $" (hồ sơ {code})" : string.Empty)}; lịch hẹn đã hết hiệu lực. "
           + "Để đặt lịch mới, vào Cổng dịch vụ công, mục Lịch hẹn, chọn trạm, ngày và buổi còn chỗ.";

    [LoggerMessage(EventId = 1802, Level = LogLevel.Information, Message = "No-show job: {Sessions} ended sessions settled, {NoShows} appointments marked no-show.")]
    private partial void LogSettled(int sessions, int noShows);
}
