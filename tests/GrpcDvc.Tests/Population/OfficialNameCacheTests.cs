using GrpcDvc.Server.Population;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Population.Registry;
using GrpcDvc.Tests.Support;

namespace GrpcDvc.Tests.Population;

/// <summary>
/// The in-memory caches of stored rows are bounded and expire: the access log may name a renamed
/// official by the old name only for a short while, a corrected unit reaches the reads within its
/// lifetime, and no caller can make either cache grow past its capacity.
/// </summary>
public sealed class OfficialNameCacheTests
{
    private static readonly TimeSpan NameLifetime = new PopulationCacheOptions().OfficialNameLifetime;

    [Fact]
    public void Name_WithinItsLifetime_IsServedFromTheCache_AfterwardsItIsAskedAgain()
    {
        var time = new FakeTimeProvider();
        var cache = new OfficialNameCache(new PopulationOptions(), time);
        var official = Guid.NewGuid();
        cache.Put(official, "Trần Thị Bình");

        time.Advance(NameLifetime - TimeSpan.FromSeconds(1));
        var fresh = cache.TryGet(official, out var name);
        time.Advance(TimeSpan.FromSeconds(1));
        var stale = cache.TryGet(official, out _);

        Assert.True(fresh);
        Assert.Equal("Trần Thị Bình", name);
        Assert.False(stale);
        Assert.False(cache.TryGet(Guid.NewGuid(), out _));
    }

    [Fact]
    public void Names_PastTheCapacity_AreDroppedOldestFirst_AndTheCacheStaysWithinIt()
    {
        var time = new FakeTimeProvider();
        var cache = new OfficialNameCache(new PopulationOptions { Caches = new() { OfficialNames = 100 } }, time);
        var officials = Enumerable.Range(0, 1_000).Select(_ => Guid.NewGuid()).ToList();

        var largest = 0;
        foreach (var official in officials)
        {
            time.Advance(TimeSpan.FromMilliseconds(1));
            cache.Put(official, "Cán bộ");
            largest = Math.Max(largest, cache.Count);
        }

        Assert.True(largest <= 101, $"the cache held {largest} names with a capacity of 100");
        Assert.True(cache.TryGet(officials[^1], out _));
        Assert.False(cache.TryGet(officials[0], out _));
    }

    [Fact]
    public void Unit_OlderThanItsLifetime_IsReadAgain_AndTheUnitsStayWithinTheCapacity()
    {
        var time = new FakeTimeProvider();
        var cache = new UnitCache(new PopulationOptions { Caches = new() { Units = 50, UnitLifetime = TimeSpan.FromHours(1) } }, time);
        cache.Add(Unit(1));

        time.Advance(TimeSpan.FromMinutes(59));
        var fresh = cache.TryGet(1, out _);
        time.Advance(TimeSpan.FromMinutes(1));
        var stale = cache.TryGet(1, out _);
        foreach (var id in Enumerable.Range(2, 500))
        {
            cache.Add(Unit(id));
        }

        Assert.True(fresh);
        Assert.False(stale);
        Assert.InRange(cache.Count, 1, 51);
        Assert.True(cache.TryGet(501, out var last));
        Assert.Equal("U501", last.Code);
    }

    private static AdministrativeUnitRow Unit(int id) => new()
    {
        Id = id, Code = $"U{id}", Level = AdministrativeLevel.Commune, Name = $"U{id}", FoldedName = $"u{id}", IsSynthetic = true,
    };
}
