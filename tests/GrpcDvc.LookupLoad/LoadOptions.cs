using System.Globalization;

namespace GrpcDvc.LookupLoad;

/// <summary>Command-line settings of the load driver.</summary>
internal sealed record LoadOptions(
    string Target, string? Token, string? AdminUser, string? AdminPassword, string? AdminTotpSecret,
    string Mode, string? IdsFile, string? NamesFile, string? CitizensFile, int[] Callers, TimeSpan Duration, TimeSpan Warmup,
    string? SessionsFile, int Attempts, string? CpuPids, string? MarkFile)
{
    public static LoadOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        string Get(string name, string? fallback = null)
            => values.TryGetValue(name, out var value) ? value
               : fallback ?? throw new ArgumentException($"--{name} is required.");

        return new LoadOptions(
            Get("target", "http://127.0.0.1:5080"),
            values.GetValueOrDefault("token"),
            values.GetValueOrDefault("admin-user"),
            values.GetValueOrDefault("admin-password"),
            values.GetValueOrDefault("admin-totp-secret"),
            Get("mode", "lookup"),
            values.GetValueOrDefault("ids"),
            values.GetValueOrDefault("names"),
            values.GetValueOrDefault("citizens"),
            [.. Get("callers", "1,16,64").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture))],
            TimeSpan.FromSeconds(double.Parse(Get("seconds", "20"), CultureInfo.InvariantCulture)),
            TimeSpan.FromSeconds(double.Parse(Get("warmup", "3"), CultureInfo.InvariantCulture)),
            values.GetValueOrDefault("sessions"),
            int.Parse(Get("attempts", "20000"), CultureInfo.InvariantCulture),
            values.GetValueOrDefault("cpu-pids"),
            values.GetValueOrDefault("mark"));
    }
}
