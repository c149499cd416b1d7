using GrpcDvc.Server.Calendar;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Appointments.Stations;

/// <summary>
/// Makes the missing station_sessions rows of a station's days, from today through the last open day and the next
/// one (<see cref="BookingWindow.MaterialiseThrough"/>), as <see cref="DayPlan"/> says. Each row is one
/// <c>INSERT … ON CONFLICT (station_id, date, part) DO NOTHING</c> against the unique index ux_station_sessions_day, so
/// running twice, or on two instances at once, neither fails nor duplicates; a row that exists is never touched (an
/// open day never changes silently: SetDayOverride and SetQuota change it, on purpose).
/// </summary>
public sealed class SessionMaterializer(DvcDbContext db, CalendarStore calendars)
{
    private WorkingCalendar? _calendar;

    /// <summary>Rows inserted for every station; stations are read in pages by id.</summary>
    public async Task<int> MaterialiseAllAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var inserted = 0;
        string? after = null;
        while (true)
        {
            var page = await db.Set<StationRecord>().AsNoTracking()
                .Where(s => after == null || string.Compare(s.Id, after) > 0)
                .OrderBy(s => s.Id).Take(200).ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                return inserted;
            }

            foreach (var station in page)
            {
                inserted += await MaterialiseAsync(station, now, cancellationToken);
            }

            after = page[^1].Id;
        }
    }

    /// <summary>Rows inserted for one station.</summary>
    public async Task<int> MaterialiseAsync(StationRecord station, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var from = VietnamTime.DateOf(now);
        var through = BookingWindow.MaterialiseThrough(now, station.BookingWindowDays, station.ReleaseMinute);
        var plan = await LoadCalendarAsync(station, from, through, cancellationToken);
        var working = await WorkingCalendarAsync(from, through, cancellationToken);
        var existing = (await db.Set<StationSessionRecord>().AsNoTracking()
                .Where(s => s.StationId == station.Id && s.Date >= from && s.Date <= through)
                .Select(s => new { s.Date, s.Part }).ToListAsync(cancellationToken))
            .Select(k => (k.Date, k.Part)).ToHashSet();
        var missing = new List<PlannedSession>();
        for (var date = from; date <= through; date = date.AddDays(1))
        {
            missing.AddRange(DayPlan.SessionsOf(plan, date, working).Where(s => !existing.Contains((s.Date, s.Part))));
        }

        if (missing.Count == 0)
        {
            return 0;
        }

        var inserted = 0;
        // One commit per station rather than per row (on SQLite each commit is a sync to disk); inside a caller's
        // transaction the rows are simply part of it.
        await using var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        foreach (var session in missing)
        {
            var opensAt = BookingWindow.OpensAt(session.Date, station.BookingWindowDays, station.ReleaseMinute).ToUnixTimeMilliseconds();
            inserted += await db.Database.ExecuteSqlInterpolatedAsync(
                $"""
                INSERT INTO station_sessions (station_id, date, part, starts_at, ends_at, opens_at, capacity, booked, closed)
                VALUES ({station.Id}, {session.Date}, {session.Part}, {session.StartsAt.ToUnixTimeMilliseconds()}, {session.EndsAt.ToUnixTimeMilliseconds()},
                        {opensAt}, {session.Capacity}, {0}, {false})
                ON CONFLICT (station_id, date, part) DO NOTHING
                """, cancellationToken);
        }

        if (own is not null)
        {
            await own.CommitAsync(cancellationToken);
        }

        return inserted;
    }

    /// <summary>The working calendar of the years a roll covers, read once per scope (a job run, a request) rather than once per station.</summary>
    private async Task<WorkingCalendar> WorkingCalendarAsync(DateOnly from, DateOnly through, CancellationToken cancellationToken)
    {
        if (_calendar is { } known && Years(from, through).All(known.Years.Contains))
        {
            return known;
        }

        return _calendar = await calendars.WorkingCalendarAsync(Years(from, through), cancellationToken);
    }

    /// <summary>
    /// After a template or booking-window change: drops the rows of days not yet open (nobody can have booked them:
    /// opens_at gates booking, and booked = 0 is checked in the same statement) and makes them again from the new
    /// calendar. Days already open keep their rows.
    /// </summary>
    public async Task<int> ReplanAsync(StationRecord station, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.Set<StationSessionRecord>()
            .Where(s => s.StationId == station.Id && s.OpensAt > now && s.Booked == 0)
            .ExecuteDeleteAsync(cancellationToken);
        return await MaterialiseAsync(station, now, cancellationToken);
    }

    /// <summary>The station's template and its overrides between two dates, as the calendar rules take them.</summary>
    public async Task<StationCalendar> LoadCalendarAsync(StationRecord station, DateOnly from, DateOnly through, CancellationToken cancellationToken)
    {
        var template = await db.Set<StationTemplateSessionRecord>().AsNoTracking().Where(t => t.StationId == station.Id).ToListAsync(cancellationToken);
        var overrides = await db.Set<StationOverrideRecord>().AsNoTracking()
            .Where(o => o.StationId == station.Id && o.Date >= from && o.Date <= through).ToListAsync(cancellationToken);
        return new StationCalendar(
            [.. template.Select(t => new TemplateSlot(t.Weekday, t.Part, t.StartMinute, t.EndMinute, t.Capacity))],
            [.. overrides.Select(o => new DatedChange(o.Date, o.Part, o.Kind, o.StartMinute, o.EndMinute, o.Capacity))],
            station.VisitFrom, station.VisitTo);
    }

    public static IEnumerable<int> Years(DateOnly from, DateOnly through) => Enumerable.Range(from.Year, through.Year - from.Year + 1);
}
