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
}
