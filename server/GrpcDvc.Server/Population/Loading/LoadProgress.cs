using System.Globalization;
using Spectre.Console;

namespace GrpcDvc.Server.Population.Loading;

/// <summary>
/// The load's progress on stderr: Spectre.Console's live progress display (bar, rate, time left)
/// when stderr is an interactive terminal, and a plain line every few seconds when it is not (a
/// file, a pipe, a CI log), where a redrawn bar would only fill the log with control codes.
/// </summary>
internal static class LoadProgress
{
    private static readonly TimeSpan LogEvery = TimeSpan.FromSeconds(5);

    /// <summary>Runs <paramref name="load"/>, showing the progress it reports on <paramref name="error"/>.</summary>
    public static async Task<T> ShowAsync<T>(TextWriter error, bool interactive, Func<IProgress<PopulationLoadProgress>, Task<T>> load)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });
        if (!interactive || !console.Profile.Capabilities.Interactive)
        {
            return await load(new PlainLines(error));
        }

        return await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context => await load(new LiveTask(context.AddTask("Citizens", autoStart: true, maxValue: 1))));
    }

    /// <summary>"1,234/10,000 citizens · 5,000/s · 20,000 rows/s": what both displays say about a load.</summary>
    internal static string Describe(PopulationLoadProgress p)
    {
        var seconds = Math.Max(p.Elapsed.TotalSeconds, 0.001);
        var counts = string.Create(CultureInfo.InvariantCulture,
            $"{p.Written.Citizens:N0}/{p.TargetCitizens:N0} citizens · {p.Written.Citizens / seconds:N0}/s · {p.Written.Rows / seconds:N0} rows/s");
        return p.Phase switch
        {
            PopulationLoadPhase.Indexing => $"{counts} · building indexes and keys…",
            PopulationLoadPhase.Done => $"{counts} · done",
            _ => counts,
        };
    }

    /// <summary>Feeds Spectre's task: its bar, percentage and time left follow the citizens written.</summary>
    private sealed class LiveTask(ProgressTask task) : IProgress<PopulationLoadProgress>
    {
        public void Report(PopulationLoadProgress value)
        {
            task.MaxValue = Math.Max(1, value.TargetCitizens);
            task.Value = value.Written.Citizens;
            task.Description = Markup.Escape(Describe(value));
            if (value.Phase == PopulationLoadPhase.Done)
            {
                task.StopTask();
            }
        }
    }

    /// <summary>One line per phase change and at most one every <see cref="LogEvery"/> while writing.</summary>
    private sealed class PlainLines(TextWriter output) : IProgress<PopulationLoadProgress>
    {
        private TimeSpan? _lastWritten;
        private PopulationLoadPhase? _lastPhase;

        public void Report(PopulationLoadProgress value)
        {
            if (value.Phase == _lastPhase && value.Elapsed - _lastWritten < LogEvery && value.Written.Citizens < value.TargetCitizens)
            {
                return;
            }

            _lastWritten = value.Elapsed;
            _lastPhase = value.Phase;
            var fraction = value.TargetCitizens == 0 ? 1 : Math.Min(1, (double)value.Written.Citizens / value.TargetCitizens);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{value.Elapsed:hh\\:mm\\:ss} {fraction,4:P0} {Describe(value)}"));
        }
    }
}
