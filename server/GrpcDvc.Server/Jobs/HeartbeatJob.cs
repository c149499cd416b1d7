using Quartz;

namespace GrpcDvc.Server.Jobs;

/// <summary>
/// Does nothing: its runs in job_runs show the scheduler firing, on which instance and when (Dvc:Jobs:Heartbeat,
/// off by default; the clustering and restart tests turn it on). Idempotent, having no effect.
/// </summary>
[DisallowConcurrentExecution]
public sealed class HeartbeatJob : IJob
{
    public static readonly JobKey Key = new("heartbeat", "jobs");

    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
}
