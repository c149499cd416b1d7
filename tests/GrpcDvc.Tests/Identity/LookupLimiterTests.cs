using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.SignIn;

namespace GrpcDvc.Tests.Identity;

/// <summary>The gate's lookup limit as the authorization gate asks it (ILookupLimiter), in memory.</summary>
public sealed class LookupLimiterTests
{
    [Fact]
    public void Lookup_OverTheAccountsRule_IsRefused_WithTheRulesWindowAsTheWait()
    {
        // The sliding window does not say when its oldest permit comes back, so the caller is told
        // the whole window: never "retry now" (zero), which a portal would take as leave to hammer.
        var options = new IdentityOptions();
        options.RateLimits.LookupPerAccount = new RateLimitRule { Permits = 2, Window = TimeSpan.FromMinutes(3) };
        using var limiter = new LookupLimiter(options);
        var client = new ClientContext("203.0.113.50");

        Assert.Null(limiter.TryAcquire(client, "official:a"));
        Assert.Null(limiter.TryAcquire(client, "official:a"));

        Assert.Equal(TimeSpan.FromMinutes(3), limiter.TryAcquire(client, "official:a"));
        Assert.Null(limiter.TryAcquire(client, "official:b"));
    }
}
