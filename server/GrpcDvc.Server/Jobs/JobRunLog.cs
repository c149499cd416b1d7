using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Jobs;

/// <summary>Reads job_runs: pages newest first (by id, the order runs were recorded in), and each job's last run.</summary>
public sealed class JobRunLog(DvcDbContext db)
{
    /// <summary>
    /// Up to <paramref name="size"/> runs recorded before <paramref name="beforeId"/> (all when null), newest first,
    /// of one job or of every job; and how many there are in all under the same filter.
    /// </summary>
    public async Task<(IReadOnlyList<JobRunRecord> Runs, int Total)> PageAsync(
        (string Group, string Name)? job, long? beforeId, int size, CancellationToken cancellationToken)
    {
        var runs = db.Set<JobRunRecord>().AsNoTracking();
        if (job is { } key)
        {
            runs = runs.Where(r => r.JobGroup == key.Group && r.JobName == key.Name);
        }

        var total = await runs.CountAsync(cancellationToken);
        var page = beforeId is { } before ? runs.Where(r => r.Id < before) : runs;
        var items = await page.OrderByDescending(r => r.Id).Take(size).ToListAsync(cancellationToken);
        return (items, total);
    }

    /// <summary>The last recorded run of each job that has one.</summary>
    public async Task<IReadOnlyDictionary<(string Group, string Name), JobRunRecord>> LastRunsAsync(CancellationToken cancellationToken)
    {
        var lastIds = db.Set<JobRunRecord>().GroupBy(r => new { r.JobGroup, r.JobName }).Select(g => g.Max(r => r.Id));
        var last = await db.Set<JobRunRecord>().AsNoTracking().Where(r => lastIds.Contains(r.Id)).ToListAsync(cancellationToken);
        return last.ToDictionary(r => (r.JobGroup, r.JobName));
    }
}
