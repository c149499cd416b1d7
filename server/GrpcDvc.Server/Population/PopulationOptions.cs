namespace GrpcDvc.Server.Population;

/// <summary>The "Dvc:Population" section.</summary>
public sealed class PopulationOptions
{
    /// <summary>
    /// Citizens of the demo population generated on first start when the registry is empty; 0 disables it.
    /// Unset means 2,000 on SQLite (the embedded default) and none on PostgreSQL.
    /// </summary>
    public int? DemoCitizens { get; set; }

    /// <summary>The seed of the demo population, so every fresh install has the same demo people.</summary>
    public ulong DemoSeed { get; set; } = 2026;

    /// <summary>
    /// SearchCitizens counts matches up to this many; beyond it total_size is this number and
    /// total_size_capped is set. An exact count over a common name ("nguyen": 38% of the country)
    /// reads millions of rows. At least 1.
    /// </summary>
    public int SearchCountLimit { get; set; } = 1_000;

    /// <summary>Bounds of the in-memory caches of stored rows ("Dvc:Population:Caches").</summary>
    public PopulationCacheOptions Caches { get; set; } = new();

    /// <summary>How reads' entries are written to the access log ("Dvc:Population:AccessLog").</summary>
    public AccessLogWriterOptions AccessLog { get; set; } = new();
}

/// <summary>The group-commit writer of the access log.</summary>
public sealed class AccessLogWriterOptions
{
    /// <summary>Entries written in one transaction at most; a page of search results always goes whole.</summary>
    public int MaxBatch { get; set; } = 500;

    /// <summary>
    /// Batches committed at the same time at most. 1 is the classic single-writer group commit; more let
    /// commits overlap (PostgreSQL flushes the WAL of concurrent commits together anyway) while the rest wait.
    /// </summary>
    public int Committers { get; set; } = 4;
}

/// <summary>How many entries each cache keeps at most, and for how long.</summary>
public sealed class PopulationCacheOptions
{
    /// <summary>Officials' names kept for the access log.</summary>
    public int OfficialNames { get; set; } = 10_000;

    /// <summary>How long a renamed official may still appear under the old name in new access-log entries.</summary>
    public TimeSpan OfficialNameLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Administrative units kept for citizen reads (Vietnam has about 12,000 at every level).</summary>
    public int Units { get; set; } = 20_000;

    /// <summary>How long a unit read from the database is served from memory.</summary>
    public TimeSpan UnitLifetime { get; set; } = TimeSpan.FromHours(1);
}
