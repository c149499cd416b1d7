using GrpcDvc.Server.Storage;

namespace GrpcDvc.Server.Population;

/// <summary>
/// Officials' full names for the access log, kept for a short while: every registry read names
/// its reader, and asking the database each time was one of the lookup's seven round trips.
/// A renamed official shows the old name in the log for at most the lifetime
/// (Dvc:Population:Caches:OfficialNameLifetime); at most Dvc:Population:Caches:OfficialNames names are kept.
/// </summary>
public sealed class OfficialNameCache(PopulationOptions options, TimeProvider time)
{
    private readonly BoundedCache<Guid, string> _names = new(options.Caches.OfficialNames, options.Caches.OfficialNameLifetime, time);

    /// <summary>Names held now (expired ones not yet dropped included).</summary>
    public int Count => _names.Count;

    public bool TryGet(Guid accountId, out string name) => _names.TryGet(accountId, out name);

    public void Put(Guid accountId, string name) => _names.Set(accountId, name);
}
