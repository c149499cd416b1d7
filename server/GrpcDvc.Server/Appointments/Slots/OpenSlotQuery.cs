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
}
