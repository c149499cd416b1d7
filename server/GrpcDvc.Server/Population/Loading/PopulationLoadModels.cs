namespace GrpcDvc.Server.Population.Loading;

/// <summary>What to do when the registry already holds people.</summary>
public enum PopulationLoadMode
{
    /// <summary>Load only into an empty registry; refuse otherwise.</summary>
    IfEmpty,

    /// <summary>Add the new people after the ones already there (new ids, unused ID numbers).</summary>
    Append,

    /// <summary>Delete every citizen, household, document and residence record first.</summary>
    Replace,
}

/// <summary>A load of <paramref name="Count"/> generated citizens; the same seed and day give the same people.</summary>
public sealed record PopulationLoadRequest(int Count, ulong Seed, DateOnly AsOf, PopulationLoadMode Mode = PopulationLoadMode.IfEmpty)
{
    /// <summary>From this many citizens on, secondary indexes (and on PostgreSQL foreign keys) are dropped and built once at the end.</summary>
    public int BulkFrom { get; init; } = 100_000;

    /// <summary>Households per chunk: what the writer takes at a time, and (times three) what is held in memory.</summary>
    public int HouseholdsPerChunk { get; init; } = 5_000;

    /// <summary>Generate and discard: measures the generator alone; the database is not touched.</summary>
    public bool DryRun { get; init; }
}

public enum PopulationLoadPhase
{
    Writing,
    Indexing,
    Done,
}

/// <summary>Where a load stands: rows written so far, out of <paramref name="TargetCitizens"/> citizens.</summary>
public sealed record PopulationLoadProgress(PopulationLoadPhase Phase, PopulationCounts Written, int TargetCitizens, TimeSpan Elapsed);

/// <summary>
/// What a finished load wrote, how long it took (<paramref name="Writing"/> of it generating and
/// writing rows, the rest building indexes and keys) and how large the database is now.
/// </summary>
public sealed record PopulationLoadSummary(PopulationCounts Written, TimeSpan Elapsed, TimeSpan Writing, long DatabaseBytes, string Database)
{
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? Written.Rows / Elapsed.TotalSeconds : 0;
}

/// <summary>The registry already holds people and the load was asked not to touch them.</summary>
public sealed class PopulationAlreadyLoadedException(PopulationCounts existing)
    : InvalidOperationException($"The population is already loaded ({existing.Citizens:N0} citizens). Use --append to add more people or --replace to start over.")
{
    public PopulationCounts Existing { get; } = existing;
}
