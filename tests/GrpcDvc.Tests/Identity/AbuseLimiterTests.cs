using GrpcDvc.Server.Identity;
using GrpcDvc.Tests.Support;

namespace GrpcDvc.Tests.Identity;

public sealed class AbuseLimiterTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly AbuseLimiter _limiter;

    public AbuseLimiterTests()
    {
        var options = new IdentityOptions();
        options.RateLimits.SignInPerAddress = new RateLimitRule { Permits = 5, Window = TimeSpan.FromMinutes(5) };
        options.RateLimits.SignInPerAccount = new RateLimitRule { Permits = 3, Window = TimeSpan.FromMinutes(5) };
        _limiter = new AbuseLimiter(options, _time);
    }

    [Fact]
    public void Limiter_PermitsUpToTheRule_ThenRefusesWithRetryAfter()
    {
        var client = new ClientContext("203.0.113.7");
        for (var i = 0; i < 5; i++)
        {
            Assert.Null(_limiter.TryAcquire(LimitedAction.SignIn, client));
            _time.Advance(TimeSpan.FromSeconds(10));
        }

        var refused = _limiter.TryAcquire(LimitedAction.SignIn, client);

        Assert.NotNull(refused);
        Assert.Equal(IdentityReasons.RateLimited, refused.Reason);
        Assert.Equal(FailureKind.RateLimited, refused.Kind);
        // The first permit was taken 50 s ago: it frees up 5 min after it was taken.
        Assert.Equal(TimeSpan.FromSeconds(250), refused.RetryAfter);
    }

    [Fact]
    public void Limiter_WindowSlides_OldPermitsComeBack()
    {
        var client = new ClientContext("203.0.113.7");
        for (var i = 0; i < 5; i++)
        {
            _limiter.TryAcquire(LimitedAction.SignIn, client);
        }

        Assert.NotNull(_limiter.TryAcquire(LimitedAction.SignIn, client));
        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.Null(_limiter.TryAcquire(LimitedAction.SignIn, client));
    }

    [Fact]
    public void Limiter_Addresses_AreCountedApart()
    {
        for (var i = 0; i < 5; i++)
        {
            _limiter.TryAcquire(LimitedAction.SignIn, new ClientContext("203.0.113.7"));
        }

        Assert.NotNull(_limiter.TryAcquire(LimitedAction.SignIn, new ClientContext("203.0.113.7")));
        Assert.Null(_limiter.TryAcquire(LimitedAction.SignIn, new ClientContext("198.51.100.9")));
    }

    [Fact]
    public void Limiter_OneAccountFromManyAddresses_IsLimitedPerAccount()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(_limiter.TryAcquire(LimitedAction.SignIn, new ClientContext($"198.51.100.{i}"), "citizen:001203004567"));
        }

        Assert.NotNull(_limiter.TryAcquire(LimitedAction.SignIn, new ClientContext("198.51.100.200"), "citizen:001203004567"));
        Assert.Null(_limiter.TryAcquire(LimitedAction.SignIn, new ClientContext("198.51.100.200"), "citizen:079088001234"));
    }

    [Fact]
    public void Limiter_RefusalByAccount_DoesNotUseUpTheAddress()
    {
        var client = new ClientContext("203.0.113.7");
        for (var i = 0; i < 3; i++)
        {
            _limiter.TryAcquire(LimitedAction.SignIn, client, "citizen:001203004567");
        }

        // Refused by the account rule twice; the address still has its 2 remaining permits.
        Assert.NotNull(_limiter.TryAcquire(LimitedAction.SignIn, client, "citizen:001203004567"));
        Assert.NotNull(_limiter.TryAcquire(LimitedAction.SignIn, client, "citizen:001203004567"));
        Assert.Null(_limiter.TryAcquire(LimitedAction.SignIn, client, "citizen:079088001234"));
        Assert.Null(_limiter.TryAcquire(LimitedAction.SignIn, client, "citizen:079088001234"));
    }
}
