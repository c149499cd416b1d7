using System.Collections.Concurrent;
using GrpcDvc.Server.Population.Persistence;

namespace GrpcDvc.Server.Population.Registry;

/// <summary>
/// Administrative units already read, shared by all calls: a few thousand rows of reference data
/// that every citizen read needs, so after warm-up a read resolves its places without a query.
/// Units are dated, not edited: a merger adds units and successors, which the seeders write
/// at start-up before the server takes calls; a unit not yet seen is read from the database.
/// </summary>
public sealed class UnitCache
{
    private readonly ConcurrentDictionary<int, AdministrativeUnitRow> _units = new();

    public bool TryGet(int id, out AdministrativeUnitRow unit) => _units.TryGetValue(id, out unit!);

    public void Add(AdministrativeUnitRow unit) => _units[unit.Id] = unit;
}
