namespace GrpcDvc.Server.Dossiers.Tracking;

/// <summary>The reads' settings ("Dvc:Dossiers:Tracking").</summary>
public sealed class DossierTrackingOptions
{
    public const string Section = "Dvc:Dossiers:Tracking";

    /// <summary>
    /// How often a watch rereads its dossier without being told of a change: changes made through another
    /// server instance are announced only in that instance, so this bounds how late they are seen.
    /// </summary>
    public TimeSpan WatchRereadInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Watches one account may hold open at once (each holds a stream and a subscription); more are RESOURCE_EXHAUSTED.</summary>
    public int MaxWatchesPerCaller { get; set; } = 5;

    /// <summary>Events VerifyDossierHistory reads per query: memory stays bounded however long the history.</summary>
    public int VerifyBatchSize { get; set; } = 10_000;

    internal void Validate()
    {
        if (WatchRereadInterval <= TimeSpan.Zero || MaxWatchesPerCaller < 1 || VerifyBatchSize < 1)
        {
            throw new InvalidOperationException(
                $"{Section}: WatchRereadInterval must be positive, MaxWatchesPerCaller and VerifyBatchSize at least 1.");
        }
    }
}
