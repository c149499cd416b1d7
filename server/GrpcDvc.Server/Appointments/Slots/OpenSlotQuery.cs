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
        var sessions = db.Set<StationSessionRecord>().AsNoTracking()
            .Where(s => s.Date >= fromDate && !s.Closed && s.Booked < s.Capacity && s.OpensAt <= now && s.StartsAt > now);
        if (exceptSessionId is { } except)
        {
            sessions = sessions.Where(s => s.Id != except);
        }

        var stations = db.Set<StationRecord>().AsNoTracking().Where(st => st.Accepting);
        if (area.StationId is { } stationId)
        {
            stations = stations.Where(st => st.Id == stationId);
        }
        else if (area.UnitIds is { } unitIds)
        {
            stations = stations.Where(st => unitIds.Contains(st.UnitId) || unitIds.Contains(st.CommuneUnitId));
        }

        var taking = db.Set<StationProcedureRecord>().AsNoTracking().Where(p => p.ProcedureCode == procedureCode);
        var rows = await (
                from s in sessions
                join st in stations on s.StationId equals st.Id
                where taking.Any(p => p.StationId == st.Id)
                orderby s.StartsAt, s.StationId, s.Part
                select new { Session = s, Station = st })
            .Take(Math.Clamp(max <= 0 ? DefaultMax : max, 1, MaxResults))
            .ToListAsync(ct);
        return [.. rows.Select(r => new OpenSlot(r.Session, r.Station))];
    }

    /// <summary>
    /// What <see cref="FindAsync"/> answers for the stations of two units (a station's unit and commune), but for one
    /// session: the sessions offered with a full session's refusal. Compiled, one per provider: in a booking storm
    /// every session that fills is refused thousands of times, and the LINQ query above is rebuilt and looked up in
    /// EF Core's cache on every call. OpenSlotQueryTests holds the two to the same answer.
    /// </summary>
    public static async Task<IReadOnlyList<OpenSlot>> NearAsync(
        DvcDbContext db, int unitId, int communeUnitId, string procedureCode, DateOnly fromDate, DateTimeOffset now, int max, long exceptSessionId,
        CancellationToken ct)
    {
        var rows = new List<OpenSlot>(max);
        await foreach (var row in (db.Database.IsNpgsql() ? NearOnPostgres : NearOnSqlite)(
                           db, unitId, communeUnitId, procedureCode, fromDate, now, Math.Clamp(max, 1, MaxResults), exceptSessionId).WithCancellation(ct))
        {
            rows.Add(row);
        }

        return rows;
    }

    private static readonly Func<DvcDbContext, int, int, string, DateOnly, DateTimeOffset, int, long, IAsyncEnumerable<OpenSlot>> NearOnPostgres = CompileNear();
    private static readonly Func<DvcDbContext, int, int, string, DateOnly, DateTimeOffset, int, long, IAsyncEnumerable<OpenSlot>> NearOnSqlite = CompileNear();

    private static Func<DvcDbContext, int, int, string, DateOnly, DateTimeOffset, int, long, IAsyncEnumerable<OpenSlot>> CompileNear() => EF.CompileAsyncQuery(
        (DvcDbContext db, int unitId, int communeUnitId, string procedureCode, DateOnly fromDate, DateTimeOffset now, int max, long except) =>
            (from s in db.Set<StationSessionRecord>().AsNoTracking()
             join st in db.Set<StationRecord>().AsNoTracking() on s.StationId equals st.Id
             where s.Date >= fromDate && !s.Closed && s.Booked < s.Capacity && s.OpensAt <= now && s.StartsAt > now && s.Id != except
                   && st.Accepting
                   && (st.UnitId == unitId || st.UnitId == communeUnitId || st.CommuneUnitId == unitId || st.CommuneUnitId == communeUnitId)
                   && db.Set<StationProcedureRecord>().Any(p => p.StationId == st.Id && p.ProcedureCode == procedureCode)
             orderby s.StartsAt, s.StationId, s.Part
             select new OpenSlot(s, st))
            .Take(max));
}
