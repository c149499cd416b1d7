using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity.Tokens;

namespace GrpcDvc.Tests.Identity;

/// <summary>The memory of checked signatures stays bounded: full, it starts over (a miss costs one signature check), and a forgotten token is checked again.</summary>
public sealed class VerifiedTokensTests
{
    private static readonly VerifiedToken Checked = new("kid-1", new CallerIdentity(Guid.NewGuid(), AccountKind.Citizen, [], null, "001203004567", Guid.NewGuid(), 2), DateTime.UnixEpoch, DateTime.MaxValue);

    [Fact]
    public void Memory_FullAtItsCapacity_StartsOverBeforeTheNextToken()
    {
        var memory = new VerifiedTokens();
        for (var i = 0; i < VerifiedTokens.Capacity; i++)
        {
            memory.Remember($"token-{i}", Checked);
        }

        var lastBefore = memory.TryGet($"token-{VerifiedTokens.Capacity - 1}", out _);
        memory.Remember("one-more", Checked);

        Assert.True(lastBefore);
        Assert.False(memory.TryGet("token-0", out _));
        Assert.True(memory.TryGet("one-more", out var kept));
        Assert.Same(Checked, kept);
    }

    [Fact]
    public void Memory_BelowItsCapacity_KeepsEveryTokenItWasGiven()
    {
        var memory = new VerifiedTokens();
        for (var i = 0; i < 100; i++)
        {
            memory.Remember($"token-{i}", Checked);
        }

        Assert.All(Enumerable.Range(0, 100), i => Assert.True(memory.TryGet($"token-{i}", out _)));
    }

    [Fact]
    public void Memory_ForgetsAToken_OnlyThatOne()
    {
        var memory = new VerifiedTokens();
        memory.Remember("a", Checked);
        memory.Remember("b", Checked);

        memory.Forget("a");

        Assert.Equal((false, true), (memory.TryGet("a", out _), memory.TryGet("b", out _)));
    }
}
