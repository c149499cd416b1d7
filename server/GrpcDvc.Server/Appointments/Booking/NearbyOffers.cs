using System.Collections.Concurrent;
using GrpcDvc.Server.Appointments.Slots;

namespace GrpcDvc.Server.Appointments.Booking;

/// <summary>
/// Per instance, for <see cref="BookingOptions.FullMemo"/>: the open sessions last offered around a station's
/// unit and commune for a procedure, so that the refusals of other full sessions nearby are answered without
/// the offers query. The storm's profile showed why: once a day's places are gone, every attempt is a refusal,
/// and each one read the whole rest of the calendar to find nothing open. Offers are suggestions (the booking's
/// conditional update decides), and a refusal from the full-session memo already carries offers this old.
/// </summary>
public sealed class NearbyOffers(BookingOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Offered> _offered = new(StringComparer.Ordinal);
    private readonly MemoSweep _sweep = new(options.FullMemo);

    /// <summary>
    /// The first <paramref name="take"/> open sessions from <paramref name="fromDate"/> other than <paramref name="exceptSessionId"/>,
    /// when a remembered read answers that exactly: it began on or before that date, and it either found every
    /// open session there was (fewer than it asked for) or still holds enough from the date on. Else null.
    /// </summary>
    public IReadOnlyList<OpenSlot>? Find(SlotArea area, string procedureCode, DateOnly fromDate, long exceptSessionId, int take)
    {
        if (!_offered.TryGetValue(Key(area, procedureCode), out var offered) || offered.Until <= time.GetUtcNow() || offered.From > fromDate)
        {
            return null;
        }

        var left = offered.Slots.Where(s => s.Session.Date >= fromDate && s.Session.Id != exceptSessionId).Take(take).ToList();
        return offered.Complete || left.Count == take ? left : null;
    }

    /// <summary>Remembers a read of up to <paramref name="asked"/> open sessions from <paramref name="fromDate"/>, with none left out.</summary>
    public void Remember(SlotArea area, string procedureCode, DateOnly fromDate, IReadOnlyList<OpenSlot> found, int asked)
    {
        if (options.FullMemo <= TimeSpan.Zero)
        {
            return;
        }

        var now = time.GetUtcNow();
        _sweep.DropExpired(_offered, now, o => o.Until);
        _offered[Key(area, procedureCode)] = new Offered(now + options.FullMemo, fromDate, found, Complete: found.Count < asked);
    }

    /// <summary>This instance freed a place: what it remembered as open is short of it, so it starts over.</summary>
    public void Forget() => _offered.Clear();

    /// <summary>Areas remembered now, expired or not (for tests).</summary>
    internal int Remembered => _offered.Count;

    private static string Key(SlotArea area, string procedureCode)
        => $"{area.StationId}|{string.Join(',', area.UnitIds ?? [])}|{procedureCode}";

    private sealed record Offered(DateTimeOffset Until, DateOnly From, IReadOnlyList<OpenSlot> Slots, bool Complete);
}
