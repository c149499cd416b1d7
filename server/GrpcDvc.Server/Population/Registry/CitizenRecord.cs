using GrpcDvc.Server.Population.Persistence;

namespace GrpcDvc.Server.Population.Registry;

/// <summary>
/// A citizen as the registry rpcs read it: the stored row with its places resolved to named
/// units, its cards and its residence periods.
/// </summary>
public sealed record CitizenRecord(
    CitizenRow Row,
    Place BirthRegistrationPlace,
    Place Hometown,
    Place PermanentResidence,
    Place? TemporaryResidence,
    Place CurrentResidence,
    IReadOnlyList<IdentityDocumentRow> Documents,
    IReadOnlyList<ResidencePeriod> Periods)
{
    public string IdNumber => Row.IdNumber;

    public BirthDate BirthDate => BirthDate.Create(Row.BirthYear, Row.BirthMonth, Row.BirthDay);

    /// <summary>Old CMND numbers, from the CMND cards the citizen held.</summary>
    public IReadOnlyList<string> OldIdNumbers => [.. Documents
        .Where(d => d.Kind is IdentityDocumentKind.Cmnd9 or IdentityDocumentKind.Cmnd12)
        .Select(d => d.Number).Distinct()];

    /// <summary>Every unit the citizen resides in, at any level: what agency scope is decided on.</summary>
    public IReadOnlyCollection<string> ResidenceUnitCodes => [.. new[] { PermanentResidence, TemporaryResidence, CurrentResidence }
        .SelectMany(p => p?.UnitCodes ?? []).Distinct()];
}

/// <summary>
/// An address with its units as registered (names of the time) and where it lies today, after
/// the 2025 merger. <see cref="UnitCodes"/> holds every unit code of both chains.
/// </summary>
public sealed record Place(
    UnitName? Commune,
    UnitName? District,
    UnitName? Province,
    string Detail,
    string? CurrentProvinceName,
    string? CurrentCommuneName,
    IReadOnlyList<string> UnitCodes);

public sealed record UnitName(string Code, string Name);

/// <summary>One period of permanent or temporary residence.</summary>
public sealed record ResidencePeriod(ResidenceKind Kind, Place Place, DateOnly From, DateOnly? Until);
