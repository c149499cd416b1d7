namespace GrpcDvc.Server.Population.Generation;

/// <summary>A planned person with identity decided (names, numbers, origin), before residences and documents.</summary>
internal sealed class PersonDraft
{
    public required PersonPlan Plan { get; init; }

    public required long CitizenId { get; init; }

    public required PersonalIdNumber IdNumber { get; init; }

    public required BirthDate BirthDate { get; init; }

    public required OldProvince BirthProvince { get; init; }

    public required OldProvince Hometown { get; init; }

    public required Ethnicity Ethnicity { get; init; }

    public required string Religion { get; init; }

    /// <summary>The family name passed to children (the clan name for Ê Đê and Gia Rai).</summary>
    public required NamePart FamilyName { get; init; }

    public required string FullName { get; init; }

    public required string FoldedName { get; init; }

    public string? OtherName { get; init; }

    public string? Phone { get; init; }

    public bool IsLiving => Plan.DiedOn is null;

    /// <summary>Whole years of age on the given day (or at death).</summary>
    public int AgeOn(DateOnly day) => Plan.Born.AddYears(day.Year - Plan.Born.Year) > day ? day.Year - Plan.Born.Year - 1 : day.Year - Plan.Born.Year;
}

/// <summary>Where a household lives: its pre-2025 province, today's commune and the old district of the address.</summary>
internal sealed record HouseholdPlace(OldProvince Home, int CommuneId, int DistrictId, string Address, DateOnly EstablishedOn);
