using System.Collections.Concurrent;

namespace GrpcDvc.Server.Population;

/// <summary>
/// Officials' full names for the access log, kept for a short while: every registry read names
/// its reader, and asking the database each time was one of the lookup's seven round trips.
/// A renamed official shows the old name in the log for at most <see cref="Lifetime"/>.
/// </summary>
public sealed class OfficialNameCache(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<Guid, (string Name, DateTimeOffset ReadAt)> _names = new();

    public bool TryGet(Guid accountId, out string name)
    {
        if (_names.TryGetValue(accountId, out var entry) && time.GetUtcNow() - entry.ReadAt < Lifetime)
        {
            name = entry.Name;
            return true;
        }

        name = string.Empty;
        return false;
    }

    public void Put(Guid accountId, string name) => _names[accountId] = (name, time.GetUtcNow());
}
