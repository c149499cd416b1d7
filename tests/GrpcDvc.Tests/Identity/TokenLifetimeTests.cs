using GrpcDvc.Server.Identity.Tokens;

namespace GrpcDvc.Tests.Identity;

/// <summary>An access token's nbf and exp against the clock, each with the allowed skew.</summary>
public sealed class TokenLifetimeTests
{
    private static readonly DateTime Now = new(2026, 3, 1, 8, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    [Fact]
    public void Token_WithoutExpiry_IsMissingItsLifetime()
        => Assert.Equal(LifetimeCheck.Missing, TokenLifetime.Check(Now, DateTime.MinValue, Now, Skew));

    [Fact]
    public void Token_WithoutNotBefore_IsValidUntilItExpires()
        => Assert.Equal(LifetimeCheck.Valid, TokenLifetime.Check(DateTime.MinValue, Now + Tick, Now, Skew));

    [Fact]
    public void Token_FromTheFuture_IsValidWithinTheSkew_NotYetValidBeyondIt()
    {
        var expires = Now + TimeSpan.FromMinutes(10);

        Assert.Equal(LifetimeCheck.Valid, TokenLifetime.Check(Now + Skew, expires, Now, Skew));
        Assert.Equal(LifetimeCheck.NotYetValid, TokenLifetime.Check(Now + Skew + Tick, expires, Now, Skew));
    }

    [Fact]
    public void Token_PastItsExpiry_IsValidWithinTheSkew_ExpiredAtItsEnd()
    {
        var issued = Now - TimeSpan.FromMinutes(10);

        Assert.Equal(LifetimeCheck.Valid, TokenLifetime.Check(issued, Now - Skew + Tick, Now, Skew));
        Assert.Equal(LifetimeCheck.Expired, TokenLifetime.Check(issued, Now - Skew, Now, Skew));
    }
}
