using System.Globalization;

namespace GrpcDvc.Server.Population.Loading;

/// <summary>
/// The load's progress on stderr: a bar redrawn in place on a terminal, a plain line every few
/// seconds when stderr goes to a file. Shows citizens written, the rate and the time left.
/// </summary>
internal sealed class ProgressBar(TextWriter output, bool interactive) : IProgress<PopulationLoadProgress>
{
    private const int Width = 30;
    private static readonly TimeSpan TerminalEvery = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LogEvery = TimeSpan.FromSeconds(5);

    private TimeSpan? _lastDrawn;
    private PopulationLoadPhase _lastPhase;

    public void Report(PopulationLoadProgress value)
    {
        var every = interactive ? TerminalEvery : LogEvery;
        if (value.Phase == _lastPhase && value.Phase == PopulationLoadPhase.Writing && value.Elapsed - _lastDrawn < every
            && value.Written.Citizens < value.TargetCitizens)
        {
            return;
        }

        _lastDrawn = value.Elapsed;
        _lastPhase = value.Phase;
        var line = Line(value);
        if (interactive)
        {
            output.Write($"\r{line,-100}");
        }
        else
        {
            output.WriteLine(line);
        }
    }

    public void Finish()
    {
        if (interactive)
        {
            output.WriteLine();
        }
    }

    private static string Line(PopulationLoadProgress p)
    {
        var done = p.Written.Citizens;
        var fraction = p.TargetCitizens == 0 ? 1 : Math.Min(1, (double)done / p.TargetCitizens);
        var filled = (int)(fraction * Width);
        var seconds = Math.Max(p.Elapsed.TotalSeconds, 0.001);
        var rate = done / seconds;
        var eta = rate > 0 ? TimeSpan.FromSeconds((p.TargetCitizens - done) / rate) : TimeSpan.Zero;
        var phase = p.Phase switch
        {
            PopulationLoadPhase.Indexing => " · building indexes and keys…",
            PopulationLoadPhase.Done => " · done",
            _ => string.Create(CultureInfo.InvariantCulture, $" · ETA {eta:hh\\:mm\\:ss}"),
        };
        return string.Create(CultureInfo.InvariantCulture,
            $"[{new string('#', filled)}{new string('.', Width - filled)}] {fraction,4:P0} {done:N0}/{p.TargetCitizens:N0} citizens · {rate:N0}/s · {p.Written.Rows / seconds:N0} rows/s · {p.Elapsed:hh\\:mm\\:ss}{phase}");
    }
}
