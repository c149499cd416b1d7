namespace GrpcDvc.Server.Population.Generation;

/// <summary>A pre-2025 province as the generator places people in it.</summary>
internal sealed record OldProvince(
    int Id, string IdNumberCode, string Name, string ShortName, bool IsCity, NewProvince Successor,
    IReadOnlyList<int> DistrictIds, RegionalProfile Profile);

/// <summary>A province of today and its (synthetic) communes.</summary>
internal sealed record NewProvince(int Id, string Name, IReadOnlyList<int> CommuneIds);

/// <summary>
/// Everything the generator needs to know about places: where people live (weighted by
/// population), which commune and district an address falls in, and where migrants go.
/// </summary>
internal sealed class UnitDirectory
{
    // Where people hold temporary residence away from home: the big cities and industrial provinces.
    private static readonly (string Code, double Weight)[] MigrationTargets =
        [("079", 35), ("001", 25), ("074", 15), ("075", 10), ("027", 8), ("048", 7)];

    private UnitDirectory(IReadOnlyList<OldProvince> oldProvinces, WeightedTable<OldProvince> byPopulation, WeightedTable<OldProvince> migrationTargets)
    {
        OldProvinces = oldProvinces;
        ByPopulation = byPopulation;
        MigrationTargetTable = migrationTargets;
    }

    public IReadOnlyList<OldProvince> OldProvinces { get; }

    /// <summary>Old provinces weighted by their (approximate) population.</summary>
    public WeightedTable<OldProvince> ByPopulation { get; }

    public WeightedTable<OldProvince> MigrationTargetTable { get; }

    public static UnitDirectory Build(AdministrativeUnitData data)
    {
        var communes = SyntheticUnits.Rows(data)
            .Where(u => u.Level == AdministrativeLevel.Commune)
            .GroupBy(u => u.ParentId!.Value)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<int>)[.. g.Select(u => u.Id)]);
        var newProvinces = data.NewProvinces.ToDictionary(p => p.Id, p => new NewProvince(p.Id, p.Name, communes[p.Id]));
        var oldProvinces = data.OldProvinces
            .Select(p => new OldProvince(
                p.Id, p.IdNumberCode, p.Name, p.ShortName, p.Kind == "city", newProvinces[p.SuccessorId],
                [.. Enumerable.Range(1, SyntheticUnits.DistrictsPerOldProvince).Select(n => SyntheticUnits.DistrictId(p.IdNumberCode, n))],
                RegionalProfile.For(p.IdNumberCode)))
            .ToList();
        var byCode = oldProvinces.ToDictionary(p => p.IdNumberCode, StringComparer.Ordinal);
        var weights = data.OldProvinces.ToDictionary(p => p.Id, p => (double)p.ApproxPopulationThousands);
        return new UnitDirectory(
            oldProvinces,
            new WeightedTable<OldProvince>(oldProvinces.Select(p => (p, weights[p.Id]))),
            new WeightedTable<OldProvince>(MigrationTargets.Select(t => (byCode[t.Code], t.Weight))));
    }
}
