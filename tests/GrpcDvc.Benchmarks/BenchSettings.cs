using System.Globalization;

namespace GrpcDvc.Benchmarks;

/// <summary>Which server a bench host runs: Grpc.AspNetCore, or Kestrel with hand-written framing (the yardstick).</summary>
public enum BenchTarget
{
    Grpc,
    Bare,
}

/// <summary>
/// Command line of the bench host:
/// <c>--target grpc|bare --work DIR [--payload-bytes 256] [--stream-count 10] [--log-level Warning]
/// [--allocation-profile FILE]</c>.
/// </summary>
public sealed record BenchSettings(
    BenchTarget Target, string WorkDir, int PayloadBytes, int StreamCount, LogLevel LogLevel, string? AllocationProfile)
{
    public static BenchSettings Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            values[args[i]] = args[i + 1];
        }

        string Required(string name) => values.GetValueOrDefault(name)
            ?? throw new ArgumentException($"Missing {name}. Usage: --target grpc|bare --work DIR [--payload-bytes N] [--stream-count N] [--log-level Level] [--allocation-profile FILE]");

        int Number(string name, int fallback) => values.TryGetValue(name, out var text)
            ? int.Parse(text, CultureInfo.InvariantCulture)
            : fallback;

        return new BenchSettings(
            Enum.Parse<BenchTarget>(Required("--target"), ignoreCase: true),
            Required("--work"),
            Number("--payload-bytes", 256),
            Number("--stream-count", 10),
            Enum.Parse<LogLevel>(values.GetValueOrDefault("--log-level") ?? nameof(LogLevel.Warning), ignoreCase: true),
            values.GetValueOrDefault("--allocation-profile"));
    }
}
