namespace GrpcDvc.Server.Population.Persistence;

/// <summary>
/// A citizen as stored (table <c>citizens</c>). Residence columns hold the current state for
/// lookups; <see cref="ResidenceRecordRow"/> keeps the history with periods.
/// </summary>
public sealed class CitizenRow
{
    public long Id { get; set; }

    /// <summary>The 12-digit personal ID number; unique.</summary>
    public required string IdNumber { get; set; }

    public required string FullName { get; set; }

    /// <summary><see cref="FullName"/> folded by VietnameseText.Fold, for diacritic-blind search.</summary>
    public required string FoldedName { get; set; }

    /// <summary>Tên gọi khác, if any.</summary>
    public string? OtherNames { get; set; }

    public int BirthYear { get; set; }

    public int? BirthMonth { get; set; }

    public int? BirthDay { get; set; }

    public Gender Gender { get; set; }

    public required string Ethnicity { get; set; }

    public required string Religion { get; set; }

    /// <summary>ISO 3166-1 alpha-2 code ("VN").</summary>
    public required string Nationality { get; set; }

    /// <summary>The (pre-2025) province where the birth was registered: its code opens the ID number.</summary>
    public int BirthRegistrationUnitId { get; set; }

    /// <summary>Quê quán, as a (pre-2025) province.</summary>
    public int HometownUnitId { get; set; }

    public int PermanentUnitId { get; set; }

    public required string PermanentAddress { get; set; }

    public int? TemporaryUnitId { get; set; }

    public string? TemporaryAddress { get; set; }

    /// <summary>Nơi ở hiện tại: the temporary residence while one is registered, else the permanent one.</summary>
    public int CurrentUnitId { get; set; }

    public required string CurrentAddress { get; set; }

    /// <summary>Today's province of <see cref="CurrentUnitId"/>, so a search by place is one column.</summary>
    public int CurrentProvinceId { get; set; }

    public long? HouseholdId { get; set; }

    public RelationToHead? RelationToHead { get; set; }

    public string? FatherIdNumber { get; set; }

    public string? MotherIdNumber { get; set; }

    public string? SpouseIdNumber { get; set; }

    public string? Phone { get; set; }

    public CitizenStatus Status { get; set; }

    public DateOnly? DiedOn { get; set; }
}
