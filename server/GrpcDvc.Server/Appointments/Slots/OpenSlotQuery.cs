using GrpcDvc.Server.Catalog;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Appointments.Slots;

/// <summary>Where to look for open sessions: one station, or the stations of a set of units (null: everywhere).</summary>
public sealed record SlotArea(string? StationId, IReadOnlyCollection<int>? UnitIds)
{
    public static SlotArea Station(string stationId) => new(stationId, null);

    public static SlotArea Units(IReadOnlyCollection<int>? unitIds) => new(null, unitIds);
}

/// <summary>A session with places left, with the station it belongs to.</summary>
public sealed record OpenSlot(StationSessionRecord Session, StationRecord Station);

/// <summary>
/// The next sessions a citizen may book: opened (its day released), not started, not closed, with
/// places left, at a station taking bookings and the procedure; earliest first. Used to answer
/// FindOpenSlots, to suggest other sessions when one is full, and to offer new sessions to citizens a
/// station moved out. A read, so the answer may be stale by the time of the booking: the booking's
/// own conditional update decides.
/// </summary>
public static class OpenSlotQuery
{
    public const int DefaultMax = 20;
    public const int MaxResults = 100;

    public static async Task<IReadOnlyList<OpenSlot>> FindAsync(
        DvcDbContext db, SlotArea area, string procedureCode, DateOnly fromDate, DateTimeOffset now, int max, CancellationToken ct,
        long? exceptSessionId = null)
    {
        var stations = Stations(db, area);
        var taking = db.Set<StationProcedureRecord>().AsNoTracking().Where(p => p.ProcedureCode == procedureCode);
        var rows = await (
                from s in Sessions(db, fromDate, now, exceptSessionId)
                join st in stations on s.StationId equals st.Id
                where taking.Any(p => p.StationId == st.Id)
                orderby s.StartsAt, s.StationId, s.Part
                select new { Session = s, Station = st })
            .Take(Clamp(max))
            .ToListAsync(ct);
        return [.. rows.Select(r => new OpenSlot(r.Session, r.Station))];
    }

    /// <summary>
    /// <see cref="FindAsync"/> for every procedure the station <paramref name="takenAt"/> takes that is booked at
    /// stations, in one query (the earliest <paramref name="max"/> of each, ranked in the database): what a full
    /// session's refusal offers, remembered for all of its procedures at once (see BookingGate).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, IReadOnlyList<OpenSlot>>> FindForEachAsync(
        DvcDbContext db, SlotArea area, string takenAt, DateOnly fromDate, DateTimeOffset now, int max, CancellationToken ct,
        long? exceptSessionId = null)
    {
        var codes = db.Set<StationProcedureRecord>().AsNoTracking()
            .Where(p => p.StationId == takenAt
                && db.Set<ProcedureRecord>().Any(c => c.Code == p.ProcedureCode && c.ServiceLevel == 3 && c.Field == "identity"))
            .Select(p => p.ProcedureCode);
        var stations = Stations(db, area);
        var sessions = Sessions(db, fromDate, now, exceptSessionId);
        var taking = db.Set<StationProcedureRecord>().AsNoTracking();
        var take = Clamp(max);
        // A procedure with no open session nearby still gets its (empty) entry: the left join keeps it.
        var rows = await (
                from code in codes
                from o in (
                        from s in sessions
                        join st in stations on s.StationId equals st.Id
                        join p in taking on st.Id equals p.StationId
                        where p.ProcedureCode == code
                        orderby s.StartsAt, s.StationId, s.Part
                        select new { Session = s, Station = st })
                    .Take(take)
                    .DefaultIfEmpty()
                select new { Code = code, o.Session, o.Station })
            .ToListAsync(ct);
        return rows.GroupBy(r => r.Code, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => (IReadOnlyList<OpenSlot>)[.. g.Where(r => r.Session is not null)
                .Select(r => new OpenSlot(r.Session, r.Station))
                .OrderBy(o => o.Session.StartsAt).ThenBy(o => o.Session.StationId, StringComparer.Ordinal).ThenBy(o => o.Session.Part)],
            StringComparer.Ordinal);
    }

    private static int Clamp(int max) => Math.Clamp(max <= 0 ? DefaultMax : max, 1, MaxResults);

    /// <summary>Sessions a citizen may book now: opened, not started, not closed, with places left.</summary>
    private static IQueryable<StationSessionRecord> Sessions(DvcDbContext db, DateOnly fromDate, DateTimeOffset now, long? exceptSessionId)
    {
        var sessions = db.Set<StationSessionRecord>().AsNoTracking()
            .Where(s => s.Date >= fromDate && !s.Closed && s.Booked < s.Capacity && s.OpensAt <= now && s.StartsAt > now);
        return exceptSessionId is { } except ? sessions.Where(s => s.Id != except) : sessions;
    }

    /// <summary>Stations of the area taking bookings.</summary>
    private static IQueryable<StationRecord> Stations(DvcDbContext db, SlotArea area)
    {
        var stations = db.Set<StationRecord>().AsNoTracking().Where(st => st.Accepting);
        if (area.StationId is { } stationId)
        {
            return stations.Where(st => st.Id == stationId);
        }

        return area.UnitIds is { } unitIds
            ? stations.Where(st => unitIds.Contains(st.UnitId) || unitIds.Contains(st.CommuneUnitId))
            : stations;
    }
}
