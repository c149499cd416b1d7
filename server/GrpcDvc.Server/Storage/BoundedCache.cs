using System.Collections.Concurrent;

namespace GrpcDvc.Server.Storage;

/// <summary>
/// In-memory copies of stored rows, bounded in number and in age: an entry older than the
/// lifetime is not served (the caller rereads the row), and past the capacity the oldest entries
/// are dropped, so neither a slow change in the database nor a caller walking many keys keeps
/// memory or stale data around. Readers take no lock; a writer that finds the cache full trims it
/// to nine tenths of its capacity (expired entries first, then the oldest), one writer at a time,
/// so trimming is rare and its cost is spread over many writes.
/// </summary>
public sealed class BoundedCache<TKey, TValue>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Entry> _entries = new();
    private readonly TimeProvider _time;
    private int _trimming;

    public BoundedCache(int capacity, TimeSpan lifetime, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        Capacity = capacity;
        Lifetime = lifetime;
        _time = time;
    }

    public int Capacity { get; }

    public TimeSpan Lifetime { get; }

    /// <summary>Entries held now, expired ones not yet dropped included.</summary>
    public int Count => _entries.Count;

    public bool TryGet(TKey key, out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            if (_time.GetUtcNow() - entry.StoredAt < Lifetime)
            {
                value = entry.Value;
                return true;
            }

            // Only this entry: a newer one stored meanwhile stays.
            _entries.TryRemove(KeyValuePair.Create(key, entry));
        }

        value = default!;
        return false;
    }

    /// <summary>Drops the key's entry (the row changed here): the next reader rereads it.</summary>
    public void Remove(TKey key) => _entries.TryRemove(key, out _);

    public void Set(TKey key, TValue value)
    {
        _entries[key] = new Entry(value, _time.GetUtcNow());
        if (_entries.Count > Capacity)
        {
            Trim();
        }
    }

    private void Trim()
    {
        if (Interlocked.Exchange(ref _trimming, 1) == 1)
        {
            return; // another writer is trimming; the cache overshoots by at most the writes meanwhile
        }

        try
        {
            var now = _time.GetUtcNow();
            var keep = Capacity - (Capacity / 10);
            var byAge = _entries.ToArray();
            Array.Sort(byAge, (a, b) => a.Value.StoredAt.CompareTo(b.Value.StoredAt));
            var excess = byAge.Length - keep;
            foreach (var (key, entry) in byAge)
            {
                if (excess <= 0 && now - entry.StoredAt < Lifetime)
                {
                    continue;
                }

                if (_entries.TryRemove(KeyValuePair.Create(key, entry)))
                {
                    excess--;
                }
            }
        }
        finally
        {
            Volatile.Write(ref _trimming, 0);
        }
    }

    private sealed record Entry(TValue Value, DateTimeOffset StoredAt);
}
