using GrpcDvc.Server.Population.Persistence;

namespace GrpcDvc.Server.Population.Generation;

/// <summary>
/// One unit of generated output: a household with its members' rows, plus relatives on record
/// who are in no household (deceased parents). The loader writes each list to its table.
/// </summary>
public sealed record GeneratedHousehold(
    HouseholdRow Household,
    IReadOnlyList<CitizenRow> Citizens,
    IReadOnlyList<IdentityDocumentRow> Documents,
    IReadOnlyList<ResidenceRecordRow> Residences);

/// <summary>
/// What to generate. The same count, seed and reference day give the same population, row for
/// row. <see cref="AsOf"/> is the "today" of the data (ages, card expiries). It is fixed rather
/// than read from a clock, so that runs can be repeated.
/// </summary>
public sealed record PopulationGeneratorOptions(int Count, ulong Seed, DateOnly AsOf)
{
    public static readonly DateOnly DefaultAsOf = new(2026, 11, 1);

    public const ulong DefaultSeed = 42;
}

/// <summary>Where the generated ids start, so that a load can follow rows already in the tables.</summary>
public sealed record PopulationIdStart(long Citizen = 1, long Household = 1, long Document = 1, long Residence = 1)
{
    /// <summary>ID numbers already taken, so that the new people get others; null for an empty registry.</summary>
    public IdNumberUsage? Usage { get; init; }
}
