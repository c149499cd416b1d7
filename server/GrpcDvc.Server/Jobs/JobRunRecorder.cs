using System.Data.Common;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace GrpcDvc.Server.Jobs;

/// <summary>
/// Writes each run of every job to job_runs once it has ended: who ran it, when it was due and fired, how long
/// it took, how it ended and when the trigger fires next. A record that cannot be written is logged and
/// dropped: the run has happened, and losing its record must not fail the firing.
/// </summary>
public sealed partial class JobRunRecorder(IServiceScopeFactory scopes, ILogger<JobRunRecorder> logger) : IJobListener
{
    public string Name => nameof(JobRunRecorder);

    public async ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
    {
        var run = RunOf(context, jobException);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
            db.Add(run);
            await db.SaveChangesAsync(cancellationToken);
            if (!run.Succeeded)
            {
                LogFailed(run.JobGroup, run.JobName, run.Error);
            }
        }
        catch (Exception ex) when (ex is DbException or DbUpdateException or OperationCanceledException)
        {
            LogNotRecorded(ex, run.JobGroup, run.JobName, run.FireInstanceId);
        }
    }

    internal static JobRunRecord RunOf(IJobExecutionContext context, JobExecutionException? failure)
    {
        var job = context.JobDetail.Key;
        var trigger = context.Trigger.Key;
        return new JobRunRecord
        {
            JobGroup = job.Group,
            JobName = job.Name,
            TriggerGroup = trigger.Group,
            TriggerName = trigger.Name,
            InstanceId = context.Scheduler.SchedulerInstanceId,
            FireInstanceId = context.FireInstanceId,
            ScheduledFireAt = context.ScheduledFireTimeUtc ?? context.FireTimeUtc,
            FiredAt = context.FireTimeUtc,
            DurationMs = (long)context.JobRunTime.TotalMilliseconds,
            Succeeded = failure is null,
            Error = failure is null ? null : Truncate(Describe(failure)),
            NextFireAt = context.NextFireTimeUtc,
            Recovering = context.Recovering,
        };
    }

    /// <summary>The job's own exception (Quartz wraps what a job throws), type and message.</summary>
    private static string Describe(JobExecutionException failure)
    {
        var cause = failure.InnerException ?? failure;
        return $"{cause.GetType().Name}: {cause.Message}";
    }

    private static string Truncate(string text) => text.Length <= JobRunRecord.ErrorLength ? text : text[..(JobRunRecord.ErrorLength - 1)] + "…";

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Job {JobGroup}.{JobName} failed: {Error}")]
    private partial void LogFailed(string jobGroup, string jobName, string? error);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "The run of job {JobGroup}.{JobName} (firing {FireInstanceId}) was not recorded.")]
    private partial void LogNotRecorded(Exception exception, string jobGroup, string jobName, string fireInstanceId);
}
