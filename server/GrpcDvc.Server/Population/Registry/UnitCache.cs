using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Storage;

namespace GrpcDvc.Server.Population.Registry;

/// <summary>
/// Administrative units already read, shared by all calls: a few thousand rows of reference data
/// that every citizen read needs, so after warm-up a read resolves its places without a query.
/// Units are dated rather than edited (a merger adds units and successors), but a correction made
/// in the database reaches the reads within the lifetime (Dvc:Population:Caches:UnitLifetime), and
/// at most Dvc:Population:Caches:Units units are kept — more than the country has, so in normal use
/// nothing is dropped before it expires.
/// </summary>
public sealed class UnitCache(PopulationOptions options, TimeProvider time)
{
    private readonly BoundedCache<int, AdministrativeUnitRow> _units = new(options.Caches.Units, options.Caches.UnitLifetime, time);

    /// <summary>Units held now (expired ones not yet dropped included).</summary>
    public int Count => _units.Count;

    public bool TryGet(int id, out AdministrativeUnitRow unit) => _units.TryGet(id, out unit);

    public void Add(AdministrativeUnitRow unit) => _units.Set(unit.Id, unit);
}
