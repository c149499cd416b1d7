using GrpcDvc.Server.Population;
using GrpcDvc.Tests.Support;

namespace GrpcDvc.Tests.Population;

/// <summary>The access log may name a renamed official by the old name only for a short while.</summary>
public sealed class OfficialNameCacheTests
{
    [Fact]
    public void Name_WithinItsLifetime_IsServedFromTheCache_AfterwardsItIsAskedAgain()
    {
        var time = new FakeTimeProvider();
        var cache = new OfficialNameCache(time);
        var official = Guid.NewGuid();
        cache.Put(official, "Trần Thị Bình");

        time.Advance(OfficialNameCache.Lifetime - TimeSpan.FromSeconds(1));
        var fresh = cache.TryGet(official, out var name);
        time.Advance(TimeSpan.FromSeconds(1));
        var stale = cache.TryGet(official, out _);

        Assert.True(fresh);
        Assert.Equal("Trần Thị Bình", name);
        Assert.False(stale);
        Assert.False(cache.TryGet(Guid.NewGuid(), out _));
    }
}
