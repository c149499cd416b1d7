using System.CommandLine;
using System.Globalization;
using GrpcDvc.Server.Population;
using GrpcDvc.Server.Population.Loading;
using GrpcDvc.Server.Storage;

namespace GrpcDvc.Server.Hosting;

/// <summary>
/// <c>population generate --count N [--seed S] [--append | --replace] [--as-of yyyy-MM-dd] [--dry-run]</c>:
/// migrates the configured database as the server does, then generates and bulk-loads N
/// citizens. Any other argument (--Dvc:Database:Provider=…) is configuration, as for the server.
/// Exit codes: 0 loaded (or help shown), 2 bad arguments, 3 population already loaded, 1 any other failure.
/// </summary>
public static class PopulationCommand
{
    public const int Loaded = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int AlreadyLoaded = 3;

    public static bool Matches(string[] args) => args.Length > 0 && args[0] == "population";

    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
        => RunAsync(args, Console.Out, Console.Error, !Console.IsErrorRedirected, cancellationToken);

    /// <param name="interactive">Whether <paramref name="error"/> is a terminal the progress display may redraw.</param>
    internal static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, bool interactive, CancellationToken cancellationToken = default)
    {
        var commandLine = new PopulationCommandLine();
        var parsed = commandLine.Parse(args);
        if (PopulationCommandLine.Errors(parsed) is { Count: > 0 } errors)
        {
            foreach (var message in errors)
            {
                await error.WriteLineAsync(message);
            }

            await error.WriteLineAsync("Run 'population generate --help' for the options.");
            return Usage;
        }

        if (parsed.Action is not null)
        {
            // --help (the generate command itself has no action: the load below is it).
            await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
            return Loaded;
        }

        return await GenerateAsync(commandLine.Arguments(parsed), output, error, interactive, cancellationToken);
    }

    private static async Task<int> GenerateAsync(GenerateArguments arguments, TextWriter output, TextWriter error, bool interactive, CancellationToken cancellationToken)
    {
        // The server's own configuration and migrations, without the demo population: this command is the load.
        var app = ServerHost.Build([.. arguments.Configuration, "--Dvc:Population:DemoCitizens=0", "--Logging:LogLevel:Default=Warning"]);
        await using (app)
        {
            try
            {
                await ServerHost.PrepareDatabaseAsync(app, cancellationToken);
                var database = app.Services.GetRequiredService<DatabaseTarget>();
                var loader = new PopulationLoader(database, AdministrativeUnitData.Load(AdministrativeUnitData.DefaultPath));
                var request = arguments.Request;
                await error.WriteLineAsync(
                    $"Generating {request.Count:N0} citizens (seed {request.Seed}, as of {request.AsOf:yyyy-MM-dd}) into {database.Describe()}…");
                var summary = await LoadProgress.ShowAsync(error, interactive, progress => loader.LoadAsync(request, progress, cancellationToken));
                await output.WriteAsync(Describe(summary));
                return Loaded;
            }
            catch (PopulationAlreadyLoadedException ex)
            {
                await error.WriteLineAsync(ex.Message);
                return AlreadyLoaded;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Nothing was kept: the loader undoes a load that fails part-way.
                await error.WriteLineAsync($"{Environment.NewLine}population generate failed, nothing was loaded: {ex}");
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
}
