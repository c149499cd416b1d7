using Google.Rpc;
using Grpc.Core;
using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Server.Appointments.Booking;
using GrpcDvc.Server.Appointments.Slots;
using GrpcDvc.Server.Calendar;
using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Appointments.Stations;

/// <summary>A checked DayOverride: part 0 with Closed closes the whole day.</summary>
public sealed record DayOverrideInput(DateOnly Date, string Kind, int Part, int? StartMinute, int? EndMinute, int? Capacity, string Reason);

/// <summary>A checked SetQuota: the dates, weekdays (empty: all) and parts (empty: all) whose quota becomes <see cref="Capacity"/>.</summary>
public sealed record QuotaInput(DateOnly From, DateOnly To, IReadOnlySet<int> Weekdays, IReadOnlySet<int> Parts, int Capacity);

/// <summary>
/// The dated changes of a station's calendar: overrides and quotas. Each call is one transaction: the override rows,
/// the session rows of open days, the citizens moved out with their SMS, and the answer kept for retries. A
/// session's quota only ever changes by <c>UPDATE station_sessions SET capacity = @c WHERE id = @id AND booked &lt;= @c</c>:
/// a booking racing the change either lands first (and the update sees it) or meets the new quota, so booked never
/// exceeds capacity, on either database.
/// </summary>
public sealed class StationCalendarChanges(
    DvcDbContext db, SessionMaterializer materializer, StationMoveOut moveOut, CalendarStore calendars, BookingGate gate, TimeProvider time)
{
    /// <summary>Tries a capacity change this many times when bookings keep arriving while the surplus is moved out.</summary>
    private const int SurplusRounds = 5;

    public async Task<SetDayOverrideResponse> SetDayOverrideAsync(StationRecord station, DayOverrideInput change, SurplusHandling surplus, ChangeKey key,
        CancellationToken cancellationToken)
    {
        var now = Now();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await UpsertOverrideAsync(station.Id, change, key.Actor, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        var rows = await db.Set<StationSessionRecord>().AsNoTracking().Where(s => s.StationId == station.Id && s.Date == change.Date).ToListAsync(cancellationToken);
        var moved = 0;
        var note = change.Reason;
        switch (change.Kind)
        {
            case StationOverrideKinds.Closed:
                // Every closed session first, so none of them is offered to the citizens moved out of another.
                var closing = rows.Where(r => change.Part == 0 || r.Part == change.Part).ToList();
                var closingIds = closing.Select(r => r.Id).ToList();
                await db.Set<StationSessionRecord>().Where(s => closingIds.Contains(s.Id)).ExecuteUpdateAsync(u => u.SetProperty(s => s.Closed, true), cancellationToken);
                foreach (var row in closing)
                {
                    moved += await moveOut.AllAsync(station, row, note.Length > 0 ? note : "trạm nghỉ", key.Actor, now, cancellationToken);
                }

                break;
            case StationOverrideKinds.Capacity:
                if (rows.FirstOrDefault(r => r.Part == change.Part && !r.Closed) is { } target)
                {
                    var result = await ChangeCapacityAsync(station, target, change.Capacity!.Value, surplus, note.Length > 0 ? note : "trạm giảm hạn mức", key.Actor, now, cancellationToken);
                    if (result.Refused)
                    {
                        throw BelowBooked([(target, result.Booked)], change.Capacity.Value);
                    }

                    moved += result.Moved;
                }

                break;
            case StationOverrideKinds.ExtraSession:
                if (rows.FirstOrDefault(r => r.Part == change.Part) is { } existing)
                {
                    var result = await ChangeCapacityAsync(station, existing, change.Capacity!.Value, surplus, note, key.Actor, now, cancellationToken);
                    if (result.Refused)
                    {
                        throw BelowBooked([(existing, result.Booked)], change.Capacity.Value);
                    }

                    var starts = VietnamTime.At(change.Date, TimeSpan.FromMinutes(change.StartMinute!.Value));
                    var ends = VietnamTime.At(change.Date, TimeSpan.FromMinutes(change.EndMinute!.Value));
                    await db.Set<StationSessionRecord>().Where(s => s.Id == existing.Id)
                        .ExecuteUpdateAsync(u => u.SetProperty(s => s.Closed, false).SetProperty(s => s.StartsAt, starts).SetProperty(s => s.EndsAt, ends), cancellationToken);
                    moved += result.Moved;
                }

                break;
        }

        await materializer.MaterialiseAsync(station, now, cancellationToken);
        var sessions = await db.Set<StationSessionRecord>().AsNoTracking().Where(s => s.StationId == station.Id && s.Date == change.Date)
            .OrderBy(s => s.Part).ToListAsync(cancellationToken);
        var answer = new SetDayOverrideResponse { MovedOut = moved, Sessions = { sessions.Select(s => SlotMessages.ToMessage(s, station)) } };
        StationRequests.Keep(db, key, nameof(StationService.StationServiceBase.SetDayOverride), station.Id, answer, now);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        gate.PlacesChanged(); // places a manager opened are offered and booked on this instance at once
        return answer;
    }

    public async Task<SetQuotaResponse> SetQuotaAsync(StationRecord station, QuotaInput quota, SurplusHandling surplus, ChangeKey key, CancellationToken cancellationToken)
    {
        var now = Now();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var rows = (await db.Set<StationSessionRecord>().AsNoTracking()
                .Where(s => s.StationId == station.Id && s.Date >= quota.From && s.Date <= quota.To).ToListAsync(cancellationToken))
            .Where(s => Matches(quota, s.Date, s.Part)).OrderBy(s => s.Date).ThenBy(s => s.Part).ToList();
        var changed = new HashSet<(DateOnly, int)>();
        var moved = 0;
        var refused = new List<(StationSessionRecord Session, int Booked)>();
        foreach (var row in rows.Where(r => !r.Closed))
        {
            var result = await ChangeCapacityAsync(station, row, quota.Capacity, surplus, "trạm giảm hạn mức", key.Actor, now, cancellationToken);
            if (result.Refused)
            {
                refused.Add((row, result.Booked));
                continue;
            }

            if (row.Capacity != quota.Capacity)
            {
                changed.Add((row.Date, row.Part));
            }

            moved += result.Moved;
        }

        if (refused.Count > 0)
        {
            throw BelowBooked(refused, quota.Capacity);
        }

        // Days not yet open also carry the quota as a capacity override: the materialiser makes their rows with it,
        // and a later template change, which makes the rows of unopened days again, keeps it.
        var opened = rows.Where(r => r.OpensAt <= now).Select(r => r.Date).ToHashSet();
        var plan = await materializer.LoadCalendarAsync(station, quota.From, quota.To, cancellationToken);
        var working = await calendars.WorkingCalendarAsync(SessionMaterializer.Years(quota.From, quota.To), cancellationToken);
        var overrides = await db.Set<StationOverrideRecord>()
            .Where(o => o.StationId == station.Id && o.Date >= quota.From && o.Date <= quota.To).ToDictionaryAsync(o => (o.Date, o.Part), cancellationToken);
        for (var date = quota.From; date <= quota.To; date = date.AddDays(1))
        {
            if (opened.Contains(date))
            {
                continue;
            }

            foreach (var session in DayPlan.SessionsOf(plan, date, working).Where(s => Matches(quota, s.Date, s.Part)))
            {
                if (overrides.TryGetValue((date, session.Part), out var existing))
                {
                    // An extra session keeps its times; a capacity override takes the new quota.
                    existing.Capacity = quota.Capacity;
                    existing.SetAt = now;
                    existing.SetBy = key.Actor;
                }
                else
                {
                    db.Set<StationOverrideRecord>().Add(new StationOverrideRecord
                    {
                        StationId = station.Id, Date = date, Part = session.Part, Kind = StationOverrideKinds.Capacity, Capacity = quota.Capacity, SetAt = now, SetBy = key.Actor,
                    });
                }

                if (session.Capacity != quota.Capacity)
                {
                    changed.Add((date, session.Part));
                }
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await materializer.MaterialiseAsync(station, now, cancellationToken);
        var answer = new SetQuotaResponse { SessionsChanged = changed.Count, MovedOut = moved };
        StationRequests.Keep(db, key, nameof(StationService.StationServiceBase.SetQuota), station.Id, answer, now);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        gate.PlacesChanged();
        return answer;
    }

    private static bool Matches(QuotaInput quota, DateOnly date, int part)
        => (quota.Weekdays.Count == 0 || quota.Weekdays.Contains(DayPlan.IsoWeekday(date))) && (quota.Parts.Count == 0 || quota.Parts.Contains(part));

    private readonly record struct CapacityResult(bool Refused, int Booked, int Moved);

    /// <summary>
    /// Sets a session's quota by the conditional update; when its bookings exceed the new quota, refuses (surplus
    /// unspecified) or moves out the latest bookings and tries again (a booking may land in between).
    /// </summary>
    private async Task<CapacityResult> ChangeCapacityAsync(StationRecord station, StationSessionRecord session, int capacity, SurplusHandling surplus,
        string note, Guid actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var moved = 0;
        for (var round = 0; ; round++)
        {
            var updated = await db.Set<StationSessionRecord>().Where(s => s.Id == session.Id && s.Booked <= capacity)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.Capacity, capacity), cancellationToken);
            if (updated == 1)
            {
                return new CapacityResult(false, 0, moved);
            }

            var booked = await db.Set<StationSessionRecord>().AsNoTracking().Where(s => s.Id == session.Id).Select(s => s.Booked).FirstAsync(cancellationToken);
            if (surplus != SurplusHandling.CancelLatestAndNotify || round == SurplusRounds)
            {
                return new CapacityResult(true, booked, moved);
            }

            var movedNow = await moveOut.LatestAsync(station, session, booked - capacity, note, actor, now, cancellationToken);
            if (movedNow == 0 && round > 0)
            {
                // Places held by nothing active (should not happen): refuse rather than loop.
                return new CapacityResult(true, booked, moved);
            }

            moved += movedNow;
        }
    }

    private static RpcException BelowBooked(List<(StationSessionRecord Session, int Booked)> sessions, int capacity)
    {
        var failure = new PreconditionFailure();
        foreach (var (session, booked) in sessions.Take(RpcErrors.MaxFieldViolations))
        {
            failure.Violations.Add(new PreconditionFailure.Types.Violation
            {
                Type = "QUOTA_BELOW_BOOKED",
                Subject = $"{session.Date:yyyy-MM-dd}/{(SessionPart)session.Part}",
                Description = $"{booked} places are booked; the quota {capacity} would leave {booked - capacity} citizens without a place.",
            });
        }

        return RpcErrors.Create(StatusCode.FailedPrecondition,
            $"{sessions.Count} sessions have more bookings than the new quota {capacity}; say how to move the surplus (surplus) or choose a higher quota.",
            failure, RpcErrors.Reason("QUOTA_BELOW_BOOKED"));
    }

    private async Task UpsertOverrideAsync(string stationId, DayOverrideInput change, Guid actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var row = await db.Set<StationOverrideRecord>().FirstOrDefaultAsync(o => o.StationId == stationId && o.Date == change.Date && o.Part == change.Part, cancellationToken);
        if (row is null)
        {
            row = new StationOverrideRecord { StationId = stationId, Date = change.Date, Part = change.Part, Kind = change.Kind };
            db.Set<StationOverrideRecord>().Add(row);
        }

        row.Kind = change.Kind;
        row.StartMinute = change.StartMinute;
        row.EndMinute = change.EndMinute;
        row.Capacity = change.Capacity;
        row.Reason = change.Reason.Length > 0 ? change.Reason : null;
        row.SetAt = now;
        row.SetBy = actor;
    }

    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
}
