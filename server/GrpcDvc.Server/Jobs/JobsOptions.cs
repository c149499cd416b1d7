namespace GrpcDvc.Server.Jobs;

/// <summary>The "Dvc:Jobs" section: the scheduler's persistent store and the job-run log.</summary>
public sealed class JobsOptions
{
    public const string Section = "Dvc:Jobs";

    /// <summary>How late a firing may run before it counts as missed and its job's misfire policy decides.</summary>
    public TimeSpan MisfireThreshold { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>PostgreSQL (clustered): how often an instance checks in; a silent one is taken over after about twice this.</summary>
    public TimeSpan CheckinInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long job_runs keeps a run.</summary>
    public TimeSpan RunRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the runs past <see cref="RunRetention"/> are deleted (<see cref="JobRunPurgeJob"/>).</summary>
    public TimeSpan RunPurgeInterval { get; set; } = TimeSpan.FromHours(6);

    public HeartbeatOptions Heartbeat { get; set; } = new();

    public void Validate()
    {
        if (MisfireThreshold < TimeSpan.FromSeconds(1) || CheckinInterval < TimeSpan.FromSeconds(1))
        {
            throw new InvalidOperationException("Dvc:Jobs:MisfireThreshold and CheckinInterval are at least one second.");
        }

        if (RunRetention <= TimeSpan.Zero || RunPurgeInterval <= TimeSpan.Zero || Heartbeat.Interval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("Dvc:Jobs:RunRetention, RunPurgeInterval and Heartbeat:Interval are positive.");
        }
    }
}

/// <summary>
/// "Dvc:Jobs:Heartbeat": a job that does nothing on a short interval, so tests (and an operator checking a
/// cluster) can watch firings go round. Off unless enabled; never needed in production.
/// </summary>
public sealed class HeartbeatOptions
{
    public bool Enabled { get; set; }

    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(2);

    public JobMisfirePolicy Misfire { get; set; } = JobMisfirePolicy.FireOnceNow;
}
