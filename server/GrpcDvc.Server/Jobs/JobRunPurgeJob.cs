using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace GrpcDvc.Server.Jobs;

/// <summary>
/// Deletes the job runs older than Dvc:Jobs:RunRetention, every RunPurgeInterval: one indexed DELETE by
/// fired_at. Idempotent: a second run, or one after another instance's, finds nothing more to delete.
/// Misfire policy: skip to the next, since the next purge deletes whatever this one would have.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class JobRunPurgeJob(IServiceScopeFactory scopes, JobsOptions options, TimeProvider time, ILogger<JobRunPurgeJob> logger) : IJob
{
    public static readonly JobKey Key = new("job-run-purge", "jobs");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
        => await RunAsync(cancellationToken);

    /// <summary>One purge; the runs deleted.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() - options.RunRetention;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
        var deleted = await db.Set<JobRunRecord>().Where(r => r.FiredAt < before).ExecuteDeleteAsync(cancellationToken);
        if (deleted > 0)
        {
            LogPurged(deleted);
        }

        return deleted;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Job runs purged: {Count} past the retention.")]
    private partial void LogPurged(int count);
}
