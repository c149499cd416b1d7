using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace GrpcDvc.Server.Identity.SignIn;

/// <summary>
/// Deletes the abuse counters whose window has ended (<see cref="AbuseCounters"/>), every
/// <see cref="RateLimitOptions.PurgeInterval"/> on one instance of the cluster: one indexed DELETE. An ended
/// window counts as no row, so the purge changes no answer; it only keeps the table to the keys
/// seen within the longest window. Rows are kept <see cref="IdentityOptions.ClockSkew"/> past their
/// end, so an instance whose clock runs ahead never purges a window another still counts in.
/// Idempotent: a second purge (or two at once) deletes each row once between them. Misfire policy:
/// skip to the next purge, which deletes whatever a missed one would have.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class AbuseCounterPurgeJob(
    IServiceScopeFactory scopes, IdentityOptions options, TimeProvider time, ILogger<AbuseCounterPurgeJob> logger) : IJob
{
    public static readonly JobKey Key = new("abuse-counter-purge", "identity");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
        => await RunAsync(cancellationToken);

    /// <summary>One purge; the number of counters deleted.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() - options.ClockSkew;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
        var deleted = await db.Set<AbuseCounterRecord>().Where(c => c.WindowEndsAt < before).ExecuteDeleteAsync(cancellationToken);
        if (deleted > 0)
        {
            LogPurged(deleted);
        }

        return deleted;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Abuse counters purged: {Count} whose window had ended.")]
    private partial void LogPurged(int count);
}
