namespace GrpcDvc.Server.Population.Persistence;

/// <summary>
/// One period of permanent or temporary residence. <see cref="UnitId"/> is where the address lies
/// today; <see cref="RegisteredUnitId"/> is the unit as it was named when registered (a pre-2025
/// district, say), so an address keeps its meaning across the 2025 merger.
/// </summary>
public sealed class ResidenceRecordRow
{
    public long Id { get; set; }

    public long CitizenId { get; set; }

    public ResidenceKind Kind { get; set; }

    public int UnitId { get; set; }

    public int RegisteredUnitId { get; set; }

    public required string Address { get; set; }

    public DateOnly ValidFrom { get; set; }

    /// <summary>Null while the registration is current (for temporary residence: the registered end, if open-ended).</summary>
    public DateOnly? ValidTo { get; set; }
}
