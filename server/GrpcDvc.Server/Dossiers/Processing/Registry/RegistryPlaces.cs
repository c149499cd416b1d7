using GrpcDvc.Server.Population;
using GrpcDvc.Server.Population.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Dossiers.Processing.Registry;

/// <summary>A commune as the registry files an address under it: the unit as named (registered), the unit it is today, and today's province.</summary>
public sealed record RegistryPlace(int RegisteredUnitId, int UnitId, int ProvinceId, string Address);

/// <summary>Reads the registry rows the effects change: citizens by ID number, communes by code (followed to today's unit after the 2025 mergers).</summary>
public static class RegistryPlaces
{
    // Parents and successors are a few levels deep; the bound stops a cycle in bad data.
    private const int MaxSteps = 8;

    public static async Task<CitizenRow> CitizenAsync(RegistryEffectContext context, string idNumber, CancellationToken cancellationToken)
        => await context.Db.Set<CitizenRow>().FirstOrDefaultAsync(c => c.IdNumber == idNumber, cancellationToken)
           ?? throw new RegistryEffectException($"the registry has no citizen {idNumber}");

    /// <summary>The address of the form (commune code and detail).</summary>
    public static async Task<RegistryPlace> FormAddressAsync(RegistryEffectContext context, CancellationToken cancellationToken)
    {
        var code = context.CommuneCode() ?? throw new RegistryEffectException($"the form gives no {ResidenceFormKeys.AddressCommuneCode}");
        var detail = context.RequiredForm(ResidenceFormKeys.AddressDetail, ResidenceFormKeys.StayAddress);
        return await PlaceAsync(context, code, detail, cancellationToken);
    }

    public static async Task<RegistryPlace> PlaceAsync(RegistryEffectContext context, string communeCode, string detail, CancellationToken cancellationToken)
    {
        var units = context.Db.Set<AdministrativeUnitRow>().AsNoTracking();
        var commune = await units.FirstOrDefaultAsync(u => u.Code == communeCode, cancellationToken);
        if (commune is null || commune.Level != AdministrativeLevel.Commune)
        {
            throw new RegistryEffectException($"{communeCode} is not a commune of the registry");
        }

        var today = await TodayAsync(units, commune, cancellationToken);
        return new RegistryPlace(commune.Id, today.Id, await ProvinceIdAsync(units, today, cancellationToken), detail);
    }

    /// <summary>Today's province of a unit (for citizens.current_province_id).</summary>
    public static async Task<int> ProvinceIdAsync(IQueryable<AdministrativeUnitRow> units, AdministrativeUnitRow unit, CancellationToken cancellationToken)
    {
        var current = unit;
        for (var step = 0; step < MaxSteps && current.Level != AdministrativeLevel.Province && current.ParentId is { } parent; step++)
        {
            current = await units.FirstAsync(u => u.Id == parent, cancellationToken);
        }

        return (await TodayAsync(units, current, cancellationToken)).Id;
    }

    public static async Task<int> ProvinceIdAsync(RegistryEffectContext context, int unitId, CancellationToken cancellationToken)
    {
        var units = context.Db.Set<AdministrativeUnitRow>().AsNoTracking();
        return await ProvinceIdAsync(units, await units.FirstAsync(u => u.Id == unitId, cancellationToken), cancellationToken);
    }

    /// <summary>Follows the successors of a merged unit to the one that exists today.</summary>
    private static async Task<AdministrativeUnitRow> TodayAsync(IQueryable<AdministrativeUnitRow> units, AdministrativeUnitRow unit, CancellationToken cancellationToken)
    {
        var current = unit;
        for (var step = 0; step < MaxSteps && current.SuccessorId is { } successor; step++)
        {
            current = await units.FirstAsync(u => u.Id == successor, cancellationToken);
        }

        return current;
    }

    /// <summary>The relation to the head of household as the form words it; Other when the word is not one of the registry's.</summary>
    public static RelationToHead Relation(string? words)
        => (words ?? string.Empty).Normalize(System.Text.NormalizationForm.FormC).Trim().ToLowerInvariant() switch
        {
            "chủ hộ" => RelationToHead.Head,
            "vợ" => RelationToHead.Wife,
            "chồng" => RelationToHead.Husband,
            "con" or "con đẻ" or "con nuôi" => RelationToHead.Child,
            "cha" or "bố" => RelationToHead.Father,
            "mẹ" => RelationToHead.Mother,
            "cháu" or "cháu nội" or "cháu ngoại" => RelationToHead.Grandchild,
            "con dâu" => RelationToHead.DaughterInLaw,
            "con rể" => RelationToHead.SonInLaw,
            "anh" or "chị" or "em" or "anh trai" or "chị gái" or "em trai" or "em gái" => RelationToHead.Sibling,
            _ => RelationToHead.Other,
        };
}
