using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using GrpcDvc.Contracts.Jobs.V1;
using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Listing;
using Quartz;

namespace GrpcDvc.Server.Jobs;

/// <summary>dvc.jobs.v1.JobService: the scheduled jobs and their runs, for administrators (and auditors, read-only).</summary>
public sealed class JobsGrpcService(ISchedulerFactory schedulers, JobRunLog runs) : JobService.JobServiceBase
{
    /// <summary>"group.name" is at most this long: Quartz's keys are at most 200 characters each.</summary>
    private const int MaxJobKeyLength = 401;

    public override async Task<ListJobsResponse> ListJobs(ListJobsRequest request, ServerCallContext context)
    {
        var cancel = context.CancellationToken;
        var scheduler = await schedulers.GetScheduler(cancel);
        var lastRuns = await runs.LastRunsAsync(cancel);
        var response = new ListJobsResponse();
        var keys = await scheduler.GetJobKeys(GroupMatcher<JobKey>.AnyGroup(), cancel);
        foreach (var key in keys.OrderBy(k => k.Group, StringComparer.Ordinal).ThenBy(k => k.Name, StringComparer.Ordinal))
        {
            var detail = await scheduler.GetJobDetail(key, cancel);
            var job = new Job { Key = $"{key.Group}.{key.Name}", Description = detail?.Description ?? string.Empty };
            foreach (var trigger in await scheduler.GetTriggersOfJob(key, cancel))
            {
                job.Triggers.Add(TriggerOf(trigger, await scheduler.GetTriggerState(trigger.Key, cancel)));
            }

            if (lastRuns.TryGetValue((key.Group, key.Name), out var last))
            {
                job.LastRun = RunOf(last);
            }

            response.Jobs.Add(job);
        }

        return response;
    }

    public override async Task<ListJobRunsResponse> ListJobRuns(ListJobRunsRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        (string Group, string Name)? job = null;
        if (request.Job.Length > 0)
        {
            var dot = request.Job.IndexOf('.', StringComparison.Ordinal);
            if (request.Job.Length > MaxJobKeyLength || dot <= 0 || dot == request.Job.Length - 1)
            {
                violations.Add(new FieldViolation("job", "A job key is \"<group>.<name>\" (Job.key), at most 401 characters.", "INVALID_JOB_KEY"));
            }
            else
            {
                job = (request.Job[..dot], request.Job[(dot + 1)..]);
            }
        }

        var page = request.Page ?? new Contracts.Common.V1.PageRequest();
        PageSize.Check(violations, page.PageSize);

        long? before = null;
        if (page.PageToken.Length > 0)
        {
            if (PageToken.TryRead(page.PageToken, request.Job) is { } text
                && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                before = id;
            }
            else
            {
                violations.Add(new FieldViolation("page.page_token", "Not a token this listing issued, or issued for another job.", "INVALID_PAGE_TOKEN"));
            }
        }

        if (violations.Count > 0)
        {
            throw RpcErrors.InvalidArgument("The job-run query is invalid.", [.. violations]);
        }

        var size = PageSize.Clamp(Math.Max(page.PageSize, 0));
        var (items, total) = await runs.PageAsync(job, before, size + 1, context.CancellationToken);
        var shown = items.Take(size).ToList();
        return new ListJobRunsResponse
        {
            Runs = { shown.Select(RunOf) },
            Page = new Contracts.Common.V1.PageInfo
            {
                NextPageToken = items.Count > size ? PageToken.Create(shown[^1].Id.ToString(CultureInfo.InvariantCulture), request.Job) : string.Empty,
                TotalSize = total,
            },
        };
    }

    private static JobTrigger TriggerOf(ITrigger trigger, TriggerState state)
    {
        var shown = new JobTrigger
        {
            Key = $"{trigger.Key.Group}.{trigger.Key.Name}",
            NextFireTime = At(trigger.NextFireTimeUtc),
            PreviousFireTime = At(trigger.PreviousFireTimeUtc),
            State = state.ToString().ToUpperInvariant(),
        };
        switch (trigger)
        {
            case ISimpleTrigger simple:
                shown.Interval = Duration.FromTimeSpan(simple.RepeatInterval);
                shown.MisfirePolicy = (int)simple.MisfireInstruction switch
                {
                    (int)SimpleTriggerMisfireInstruction.FireNow => MisfirePolicy.FireOnceNow,
                    (int)SimpleTriggerMisfireInstruction.NextWithRemainingCount => MisfirePolicy.SkipToNext,
                    _ => MisfirePolicy.Other,
                };
                break;
            case ICronTrigger cron:
                shown.Cron = cron.CronExpressionString ?? string.Empty;
                shown.TimeZone = cron.TimeZone.Id;
                shown.MisfirePolicy = (int)cron.MisfireInstruction switch
                {
                    (int)CronTriggerMisfireInstruction.FireAndProceed => MisfirePolicy.FireOnceNow,
                    (int)CronTriggerMisfireInstruction.DoNothing => MisfirePolicy.SkipToNext,
                    _ => MisfirePolicy.Other,
                };
                break;
            default:
                shown.MisfirePolicy = MisfirePolicy.Other;
                break;
        }

        return shown;
    }

    private static JobRun RunOf(JobRunRecord run) => new()
    {
        Job = $"{run.JobGroup}.{run.JobName}",
        Trigger = $"{run.TriggerGroup}.{run.TriggerName}",
        InstanceId = run.InstanceId,
        ScheduledFireTime = Timestamp.FromDateTimeOffset(run.ScheduledFireAt),
        FiredAt = Timestamp.FromDateTimeOffset(run.FiredAt),
        Duration = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(run.DurationMs)),
        Outcome = run.Succeeded ? JobRunOutcome.Succeeded : JobRunOutcome.Failed,
        Error = run.Error ?? string.Empty,
        NextFireTime = At(run.NextFireAt),
        Recovering = run.Recovering,
    };

    private static Timestamp? At(DateTimeOffset? at) => at is { } value ? Timestamp.FromDateTimeOffset(value) : null;
}
