using Quartz;

namespace GrpcDvc.Server.Appointments.Stations;

/// <summary>"Dvc:Appointments:RollForward".</summary>
public sealed class RollForwardOptions
{
    public const string Section = "Dvc:Appointments:RollForward";

    /// <summary>How often the session rows of newly opened days are made (and missing ones caught up).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    public void Validate()
    {
        if (Interval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{Section}:Interval must be positive.");
        }
    }
}

/// <summary>
/// The quota roll-forward: makes the session rows every station's calendar calls for, through the last open day and
/// the next one. Running every few minutes rather than at each station's release time keeps one trigger for every
/// release time there is, and means the rows of a day exist a day before it opens (opens_at, not the job, decides
/// when booking starts). Idempotent (<see cref="SessionMaterializer"/> inserts only what is missing, tolerating a
/// concurrent insert), so a firing run again after an instance died, or a catch-up after downtime (misfire policy:
/// fire once now), only fills the gap.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class StationRollForwardJob(IServiceScopeFactory scopes, TimeProvider time, ILogger<StationRollForwardJob> logger) : IJob
{
    public static readonly JobKey Key = new("station-roll-forward", "appointments");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
        => await RunAsync(cancellationToken);

    /// <summary>One roll; the number of session rows made.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var materializer = scope.ServiceProvider.GetRequiredService<SessionMaterializer>();
        var inserted = await materializer.MaterialiseAllAsync(time.GetUtcNow(), cancellationToken);
        if (inserted > 0)
        {
            LogRolled(inserted);
        }

        return inserted;
    }

    [LoggerMessage(EventId = 1801, Level = LogLevel.Information, Message = "Station roll-forward: {Count} session rows made.")]
    private partial void LogRolled(int count);
}
