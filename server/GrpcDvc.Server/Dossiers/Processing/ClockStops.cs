using System.Text.Json;
using GrpcDvc.Server.Calendar;

namespace GrpcDvc.Server.Dossiers.Processing;

/// <summary>
/// The clock stops of a dossier as stored in dossiers.clock_stops: a JSON array of [fromMs, untilMs]
/// pairs (Unix milliseconds), the last one [fromMs, null] while a supplement is awaited. A request to
/// supplement opens a stop; the supplement closes it, and the due date moves by the stopped time.
/// </summary>
public sealed class ClockStops
{
    private readonly List<(long From, long? Until)> _stops;

    private ClockStops(List<(long From, long? Until)> stops) => _stops = stops;

    public static ClockStops Parse(string json)
    {
        var stops = new List<(long, long?)>();
        if (!string.IsNullOrWhiteSpace(json))
        {
            foreach (var pair in JsonSerializer.Deserialize<long?[][]>(json) ?? [])
            {
                if (pair is [{ } from, var until])
                {
                    stops.Add((from, until));
                }
            }
        }

        return new ClockStops(stops);
    }

    public bool HasOpenStop => _stops.Count > 0 && _stops[^1].Until is null;

    public int Count => _stops.Count;

    /// <summary>Stops the clock at <paramref name="at"/>; an open stop stays as it is (one wait at a time).</summary>
    public void Open(DateTimeOffset at)
    {
        if (!HasOpenStop)
        {
            _stops.Add((at.ToUnixTimeMilliseconds(), null));
        }
    }

    /// <summary>Runs the clock again at <paramref name="at"/> (closes the open stop, never before it began); how long it stood still.</summary>
    public TimeSpan Close(DateTimeOffset at)
    {
        if (!HasOpenStop)
        {
            return TimeSpan.Zero;
        }

        var (from, _) = _stops[^1];
        var until = Math.Max(from, at.ToUnixTimeMilliseconds());
        _stops[^1] = (from, until);
        return TimeSpan.FromMilliseconds(until - from);
    }

    /// <summary>The closed stops as the calendar counts them (an open one is left out: it has no end yet).</summary>
    public IReadOnlyList<ClockStop> Closed()
        => [.. _stops.Where(s => s.Until is not null && s.Until > s.From)
            .Select(s => new ClockStop(DateTimeOffset.FromUnixTimeMilliseconds(s.From), DateTimeOffset.FromUnixTimeMilliseconds(s.Until!.Value)))];

    public string ToJson() => JsonSerializer.Serialize(_stops.Select(s => new long?[] { s.From, s.Until }));
}
