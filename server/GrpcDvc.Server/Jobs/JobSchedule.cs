using Quartz;

namespace GrpcDvc.Server.Jobs;

/// <summary>When a job runs: every fixed interval, or on a cron expression on Vietnam's clock.</summary>
public abstract record JobSchedule
{
    private JobSchedule()
    {
    }

    /// <summary>Every <paramref name="interval"/>; the first run one interval after the trigger is first stored.</summary>
    public static JobSchedule Every(TimeSpan interval)
        => interval > TimeSpan.Zero ? new Interval(interval) : throw new ArgumentOutOfRangeException(nameof(interval), "A job's interval must be positive.");

    /// <summary>A Quartz cron expression (seconds first, e.g. "0 30 1 * * ?" for 01:30 daily) in Asia/Ho_Chi_Minh.</summary>
    public static JobSchedule Cron(string expression)
    {
        _ = CronExpression.Parse(expression); // throws at registration, not at the scheduler's start
        return new CronText(expression);
    }

    internal abstract void Apply<TJob>(ITriggerConfigurator<TJob> trigger, JobMisfirePolicy misfire, DateTimeOffset now)
        where TJob : IJob;

    /// <summary>Whether a stored trigger already has this schedule and misfire policy (then it is left as it is).</summary>
    internal abstract bool IsStoredAs(ITrigger stored, JobMisfirePolicy misfire);

    internal sealed record Interval(TimeSpan Period) : JobSchedule
    {
        internal override void Apply<TJob>(ITriggerConfigurator<TJob> trigger, JobMisfirePolicy misfire, DateTimeOffset now)
            => trigger.StartAt(now + Period).WithSimpleSchedule(s => s.WithInterval(Period).RepeatForever().WithMisfireInstruction(misfire switch
            {
                // Re-anchored at now: one run, then every interval from it.
                JobMisfirePolicy.FireOnceNow => SimpleTriggerMisfireInstruction.FireNow,
                _ => SimpleTriggerMisfireInstruction.NextWithRemainingCount,
            }));

        internal override bool IsStoredAs(ITrigger stored, JobMisfirePolicy misfire)
            => stored is ISimpleTrigger simple && simple.RepeatInterval == Period
                && simple.MisfireInstruction == (misfire == JobMisfirePolicy.FireOnceNow
                    ? SimpleTriggerMisfireInstruction.FireNow : SimpleTriggerMisfireInstruction.NextWithRemainingCount);
    }

    internal sealed record CronText(string Expression) : JobSchedule
    {
        internal override void Apply<TJob>(ITriggerConfigurator<TJob> trigger, JobMisfirePolicy misfire, DateTimeOffset now)
            => trigger.WithCronSchedule(Expression, c => c.InTimeZone(VietnamZone).WithMisfireInstruction(misfire switch
            {
                JobMisfirePolicy.FireOnceNow => CronTriggerMisfireInstruction.FireAndProceed,
                _ => CronTriggerMisfireInstruction.DoNothing,
            }));

        internal override bool IsStoredAs(ITrigger stored, JobMisfirePolicy misfire)
            => stored is ICronTrigger cron && cron.CronExpressionString == Expression && cron.TimeZone.Id == VietnamZone.Id
                && cron.MisfireInstruction == (misfire == JobMisfirePolicy.FireOnceNow
                    ? CronTriggerMisfireInstruction.FireAndProceed : CronTriggerMisfireInstruction.DoNothing);

        private static TimeZoneInfo VietnamZone => TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");
    }
}
