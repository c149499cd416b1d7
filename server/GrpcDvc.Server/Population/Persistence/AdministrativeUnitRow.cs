namespace GrpcDvc.Server.Population.Persistence;

/// <summary>
/// A province, district or commune with the period it existed in, and the unit that took it over.
/// Real provinces come from Data/administrative-units.json. Synthetic districts and communes
/// come from the generator and are flagged.
/// </summary>
public sealed class AdministrativeUnitRow
{
    public int Id { get; set; }

    /// <summary>A short readable key: P63-001, P34-01, P63-001-H01, X0001.</summary>
    public required string Code { get; set; }

    public AdministrativeLevel Level { get; set; }

    public required string Name { get; set; }

    public required string FoldedName { get; set; }

    public int? ParentId { get; set; }

    /// <summary>For the 63 pre-2025 provinces: the 3-digit code in ID numbers.</summary>
    public string? IdNumberCode { get; set; }

    /// <summary>The administrative-unit code, where known.</summary>
    public string? OfficialCode { get; set; }

    /// <summary>Null means "before the data begins".</summary>
    public DateOnly? ValidFrom { get; set; }

    /// <summary>Null while the unit exists.</summary>
    public DateOnly? ValidTo { get; set; }

    public int? SuccessorId { get; set; }

    public bool IsSynthetic { get; set; }

    /// <summary>False when some fact of the row comes from a source we could not check.</summary>
    public bool Verified { get; set; }

    public string? Note { get; set; }
}
