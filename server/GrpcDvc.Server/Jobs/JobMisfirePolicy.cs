namespace GrpcDvc.Server.Jobs;

/// <summary>
/// What a job does about firings it missed (the server was down, or every instance was busy past the
/// store's Dvc:Jobs:MisfireThreshold). Every job states one; neither ever replays each missed firing.
/// </summary>
public enum JobMisfirePolicy
{
    /// <summary>Run once as soon as the scheduler is back, then carry on every interval from then.</summary>
    FireOnceNow,

    /// <summary>Run nothing for the missed firings; wait for the next scheduled time.</summary>
    SkipToNext,
}
