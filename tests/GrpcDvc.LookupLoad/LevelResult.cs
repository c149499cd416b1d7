using System.Diagnostics;
using System.Globalization;
using Grpc.Core;

namespace GrpcDvc.LookupLoad;

/// <summary>What one concurrency level measured.</summary>
internal sealed record LevelResult(int Callers, long Calls, double CallsPerSecond, double P50Ms, double P99Ms, string Failures)
{
    public static LevelResult Empty { get; } = new(0, 0, 0, 0, 0, string.Empty);

    public static LevelResult From(int callers, TimeSpan elapsed, IReadOnlyList<CallSamples> samples)
    {
        var latencies = samples.SelectMany(s => s.Latencies).Order().ToArray();
        var failures = new Dictionary<StatusCode, int>();
        foreach (var (code, count) in samples.SelectMany(s => s.Failures))
        {
            failures[code] = failures.GetValueOrDefault(code) + count;
        }

        return new LevelResult(
            callers,
            latencies.Length,
            latencies.Length / elapsed.TotalSeconds,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99),
            failures.Count == 0 ? "none" : string.Join(",", failures.Select(f => $"{f.Key}={f.Value}")));
    }

    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{Callers}\t{Calls}\t{CallsPerSecond:F0}\t{P50Ms:F2}\t{P99Ms:F2}\t{Failures}");

    private static double Percentile(long[] sorted, double quantile)
        => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(quantile * sorted.Length))] * 1000.0 / Stopwatch.Frequency;
}
