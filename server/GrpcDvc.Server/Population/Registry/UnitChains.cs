using GrpcDvc.Server.Population.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Population.Registry;

/// <summary>
/// Resolves unit ids to named places: the unit's own chain (commune → district → province, as
/// named when registered) and the chain of the unit that succeeds it today, so an address keeps
/// its meaning after the 2025 merger. Loads only the units it needs, a level at a time.
/// </summary>
public sealed class UnitChains(DbContext db, UnitCache cache)
{
    // Chains are short (commune, district, province, plus successors); the bound stops a cycle in bad data.
    private const int MaxDepth = 8;
    private readonly Dictionary<int, AdministrativeUnitRow> _units = [];

    /// <summary>Loads the given units with their parents and successors.</summary>
    public async Task LoadAsync(IEnumerable<int> unitIds, CancellationToken cancellationToken)
    {
        var wanted = unitIds.ToHashSet();
        for (var depth = 0; wanted.Count > 0 && depth < MaxDepth; depth++)
        {
            var found = new List<AdministrativeUnitRow>(wanted.Count);
            var missing = new List<int>();
            foreach (var id in wanted)
            {
                if (_units.ContainsKey(id))
                {
                    continue;
                }

                if (cache.TryGet(id, out var cached))
                {
                    found.Add(cached);
                }
                else
                {
                    missing.Add(id);
                }
            }

            if (missing.Count > 0)
            {
                var rows = await db.Set<AdministrativeUnitRow>().AsNoTracking().Where(u => missing.Contains(u.Id)).ToListAsync(cancellationToken);
                rows.ForEach(cache.Add);
                found.AddRange(rows);
            }

            foreach (var row in found)
            {
                _units[row.Id] = row;
            }

            wanted = [.. found.SelectMany(r => new[] { r.ParentId, r.SuccessorId }).OfType<int>().Where(id => !_units.ContainsKey(id))];
        }
    }

    /// <summary>The place of <paramref name="unitId"/>; <paramref name="registeredUnitId"/> names it as it was registered.</summary>
    public Place Place(int unitId, int? registeredUnitId, string detail)
    {
        var registered = Chain(registeredUnitId ?? unitId);
        var today = Chain(Today(unitId));
        var province = ByLevel(registered, AdministrativeLevel.Province);
        var commune = ByLevel(registered, AdministrativeLevel.Commune);
        var todayProvince = ByLevel(today, AdministrativeLevel.Province);
        var todayCommune = ByLevel(today, AdministrativeLevel.Commune);
        return new Place(
            commune,
            ByLevel(registered, AdministrativeLevel.District),
            province,
            detail,
            todayProvince is not null && todayProvince.Name != province?.Name ? todayProvince.Name : null,
            todayCommune is not null && todayCommune.Name != commune?.Name ? todayCommune.Name : null,
            [.. registered.Concat(today).Select(u => u.Code).Distinct()]);
    }

    private static UnitName? ByLevel(List<AdministrativeUnitRow> chain, AdministrativeLevel level)
        => chain.Find(u => u.Level == level) is { } unit ? new UnitName(unit.Code, unit.Name) : null;

    private int Today(int unitId)
    {
        var id = unitId;
        for (var depth = 0; depth < MaxDepth && _units.TryGetValue(id, out var unit) && unit.SuccessorId is { } next; depth++)
        {
            id = next;
        }

        return id;
    }

    private List<AdministrativeUnitRow> Chain(int unitId)
    {
        var chain = new List<AdministrativeUnitRow>(3);
        int? id = unitId;
        for (var depth = 0; depth < MaxDepth && id is { } current && _units.TryGetValue(current, out var unit); depth++)
        {
            chain.Add(unit);
            id = unit.ParentId;
        }

        return chain;
    }
}
