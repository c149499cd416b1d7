using System.Globalization;
using GrpcDvc.Server.Hosting;
using GrpcDvc.Server.Population.Generation;
using GrpcDvc.Server.Storage;

namespace GrpcDvc.Server.Population.Loading;

/// <summary>
/// <c>population generate --count N [--seed S] [--append | --replace] [--as-of yyyy-MM-dd] [--dry-run]</c>:
/// migrates the configured database as the server does, then generates and bulk-loads N
/// citizens. Any other argument (--Dvc:Database:Provider=…) is configuration, as for the server.
/// Exit codes: 0 loaded, 2 bad arguments, 3 population already loaded, 1 any other failure.
/// </summary>
public static class PopulationCommand
{
    public const int Loaded = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int AlreadyLoaded = 3;

    private const string UsageText =
        "usage: population generate --count N [--seed S] [--append | --replace] [--as-of yyyy-MM-dd] [--dry-run] [--Dvc:Database:…=…]";

    public static bool Matches(string[] args) => args.Length > 0 && args[0] == "population";

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        if (!GenerateArguments.TryParse(args, out var parsed, out var error))
        {
            await Console.Error.WriteLineAsync($"{error}{Environment.NewLine}{UsageText}");
            return Usage;
        }

        // The server's own configuration and migrations, without the demo population: this command is the load.
        var app = ServerHost.Build([.. parsed.Configuration, "--Dvc:Population:DemoCitizens=0", "--Logging:LogLevel:Default=Warning"]);
        await using (app)
        {
            try
            {
                await ServerHost.PrepareDatabaseAsync(app, cancellationToken);
                var database = app.Services.GetRequiredService<DatabaseTarget>();
                var loader = new PopulationLoader(database, AdministrativeUnitData.Load(AdministrativeUnitData.DefaultPath));
                await Console.Error.WriteLineAsync(
                    $"Generating {parsed.Request.Count:N0} citizens (seed {parsed.Request.Seed}, as of {parsed.Request.AsOf:yyyy-MM-dd}) into {database.Describe()}…");
                var bar = new ProgressBar(Console.Error, !Console.IsErrorRedirected);
                var summary = await loader.LoadAsync(parsed.Request, bar, cancellationToken);
                bar.Finish();
                Console.Out.Write(Describe(summary));
                return Loaded;
            }
            catch (PopulationAlreadyLoadedException ex)
            {
                await Console.Error.WriteLineAsync(ex.Message);
                return AlreadyLoaded;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Nothing was kept: the loader undoes a load that fails part-way.
                await Console.Error.WriteLineAsync($"{Environment.NewLine}population generate failed, nothing was loaded: {ex}");
                return Failed;
            }
        }
    }

    public static string Describe(PopulationLoadSummary summary)
    {
        var w = summary.Written;
        return string.Create(CultureInfo.InvariantCulture, $"""
            Population written to {summary.Database}
              citizens           {w.Citizens,14:N0}
              households         {w.Households,14:N0}
              identity documents {w.Documents,14:N0}
              residence records  {w.Residences,14:N0}
              rows               {w.Rows,14:N0}
              elapsed            {summary.Elapsed.TotalSeconds,14:N1} s ({summary.Writing.TotalSeconds:N1} s generating and writing, {(summary.Elapsed - summary.Writing).TotalSeconds:N1} s indexes and keys)
              rate               {summary.RowsPerSecond,14:N0} rows/s ({w.Citizens / Math.Max(summary.Elapsed.TotalSeconds, 0.001):N0} citizens/s)
              database size      {summary.DatabaseBytes / 1048576.0,14:N1} MiB

            """);
    }

    /// <summary>The parsed command line: the load, and the arguments left for configuration.</summary>
    internal sealed record GenerateArguments(PopulationLoadRequest Request, IReadOnlyList<string> Configuration)
    {
        public static bool TryParse(string[] args, out GenerateArguments parsed, out string? error)
        {
            parsed = null!;
            error = null;
            if (args.Length < 2 || args[1] != "generate")
            {
                error = "population: the only subcommand is 'generate'.";
                return false;
            }

            int? count = null;
            var seed = PopulationGeneratorOptions.DefaultSeed;
            var asOf = PopulationGeneratorOptions.DefaultAsOf;
            var mode = PopulationLoadMode.IfEmpty;
            var dryRun = false;
            var configuration = new List<string>();
            for (var i = 2; i < args.Length; i++)
            {
                var value = i + 1 < args.Length ? args[i + 1] : null;
                switch (args[i])
                {
                    case "--count" when TryCount(value, out var n):
                        count = n;
                        i++;
                        break;
                    case "--seed" when ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var s):
                        seed = s;
                        i++;
                        break;
                    case "--as-of" when DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day):
                        asOf = day;
                        i++;
                        break;
                    case "--append" when mode == PopulationLoadMode.IfEmpty:
                        mode = PopulationLoadMode.Append;
                        break;
                    case "--replace" when mode == PopulationLoadMode.IfEmpty:
                        mode = PopulationLoadMode.Replace;
                        break;
                    case "--dry-run":
                        dryRun = true;
                        break;
                    case "--count" or "--seed" or "--as-of":
                        error = $"{args[i]}: '{value}' is not a valid value.";
                        return false;
                    case "--append" or "--replace":
                        error = "--append and --replace exclude each other.";
                        return false;
                    case var other when other.StartsWith("--Dvc:", StringComparison.Ordinal) || other.StartsWith("--Logging:", StringComparison.Ordinal):
                        configuration.Add(other);
                        break;
                    default:
                        error = $"Unknown argument '{args[i]}'.";
                        return false;
                }
            }

            if (count is null)
            {
                error = "--count is required.";
                return false;
            }

            parsed = new GenerateArguments(new PopulationLoadRequest(count.Value, seed, asOf, mode) { DryRun = dryRun }, configuration);
            return true;
        }

        /// <summary>A count such as 2000, 10_000_000, 500k or 10M.</summary>
        private static bool TryCount(string? text, out int count)
        {
            count = 0;
            if (string.IsNullOrEmpty(text))
            {
                return false;
            }

            var multiplier = char.ToUpperInvariant(text[^1]) switch { 'K' => 1_000L, 'M' => 1_000_000L, _ => 1L };
            var digits = (multiplier == 1 ? text : text[..^1]).Replace("_", string.Empty, StringComparison.Ordinal);
            if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value * multiplier is < 1 or > int.MaxValue)
            {
                return false;
            }

            count = (int)(value * multiplier);
            return true;
        }
    }
}
