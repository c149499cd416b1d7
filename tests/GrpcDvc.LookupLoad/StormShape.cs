using System.Diagnostics;
using System.Globalization;

namespace GrpcDvc.LookupLoad;

/// <summary>One timed answer of a booking storm: when it came (ticks since the storm began), how long it took, and whether it was a place.</summary>
internal readonly record struct StormAnswer(long At, long Ticks, bool Placed);

/// <summary>
/// Where a storm's slow answers are: places against refusals, and second by second. A p99 alone cannot
/// tell a tail spread over the whole storm (the steady state is too slow) from one made in its first
/// second, when every caller arrives at once on a session that has not filled yet.
/// </summary>
internal static class StormShape
{
    public static IEnumerable<string> Describe(IEnumerable<StormAnswer> answers)
    {
        var all = answers.OrderBy(a => a.At).ToArray();
        if (all.Length == 0)
        {
            yield break;
        }

        yield return $"# places: {Figures(all.Where(a => a.Placed))}; refusals: {Figures(all.Where(a => !a.Placed))}";
        var seconds = all.GroupBy(a => a.At / Stopwatch.Frequency).OrderBy(g => g.Key);
        yield return "# by second of the storm: " + string.Join("; ", seconds.Select(g => string.Create(CultureInfo.InvariantCulture,
            $"{g.Key}: {g.Count()} answers, {g.Count(a => a.Placed)} places, p99 {Percentile(g.Select(a => a.Ticks), 0.99):F0} ms")));
        var after = all.Where(a => a.At >= Stopwatch.Frequency).ToArray();
        yield return $"# after the first second: {Figures(after)}";
    }

    private static string Figures(IEnumerable<StormAnswer> answers)
    {
        var ticks = answers.Select(a => a.Ticks).ToArray();
        return string.Create(CultureInfo.InvariantCulture,
            $"{ticks.Length} answers, p50 {Percentile(ticks, 0.50):F1} ms, p99 {Percentile(ticks, 0.99):F1} ms");
    }

    private static double Percentile(IEnumerable<long> ticks, double quantile)
    {
        var sorted = ticks.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(quantile * sorted.Length))] * 1000.0 / Stopwatch.Frequency;
    }
}
