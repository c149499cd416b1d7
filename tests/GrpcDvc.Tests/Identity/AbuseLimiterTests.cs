using System.Diagnostics;
using System.Threading.RateLimiting;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.SignIn;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// The abuse limits over System.Threading.RateLimiting's sliding windows, as the gate counts lookups
/// (the sign-in and OTP limits count in the database: AbuseCounterTests). Those run on the real
/// clock (their partitioned limiter replenishes on its own timer), so the one test about time
/// passing uses a one-second window and waits for it; the others never wait.
/// </summary>
public sealed class AbuseLimiterTests : IDisposable
{
    private static readonly TimeSpan SignInWindow = TimeSpan.FromMinutes(5);

    private readonly IdentityOptions _options = new();
    private readonly PartitionedRateLimiter<RateLimitKey> _limits;
    private readonly AbuseLimiter _limiter;

    public AbuseLimiterTests()
    {
        _options.RateLimits.SignInPerAddress = new RateLimitRule { Permits = 5, Window = SignInWindow };
        _options.RateLimits.SignInPerAccount = new RateLimitRule { Permits = 3, Window = SignInWindow };
        _options.RateLimits.OtpVerifyPerAddress = new RateLimitRule { Permits = 2, Window = TimeSpan.FromSeconds(1) };
        _limits = AbuseLimiter.InMemory(_options.RateLimits);
        _limiter = new AbuseLimiter(_limits, _options);
    }

    public void Dispose() => _limits.Dispose();

    [Fact]
    public void Limiter_AddressAndAccountBothOverTheirRules_TellsTheLongerWait()
    {
        var options = new IdentityOptions();
        options.RateLimits.SignInPerAddress = new RateLimitRule { Permits = 1, Window = TimeSpan.FromMinutes(2) };
        options.RateLimits.SignInPerAccount = new RateLimitRule { Permits = 1, Window = TimeSpan.FromMinutes(7) };
        using var limits = AbuseLimiter.InMemory(options.RateLimits);
        var limiter = new AbuseLimiter(limits, options);
        var client = new ClientContext("203.0.113.30");
        Assert.Null(limiter.TryAcquire(LimitedAction.SignIn, client, "citizen:001203004567"));

        var both = limiter.TryAcquire(LimitedAction.SignIn, client, "citizen:001203004567");
        var swapped = new AbuseLimiter(limits, Swapped(options)).TryAcquire(LimitedAction.SignIn, client, "citizen:001203004567");

        Assert.Equal(TimeSpan.FromMinutes(7), both?.RetryAfter);
        Assert.Equal(TimeSpan.FromMinutes(7), swapped?.RetryAfter);
    }

    [Fact]
    public async Task InMemoryLimits_Disposed_TakeNoMoreRequests_EitherWay()
    {
        var options = new IdentityOptions();
        var disposed = AbuseLimiter.InMemory(options.RateLimits);
        var disposedAsync = AbuseLimiter.InMemory(options.RateLimits);
        var lookups = new LookupLimiter(options);
        var key = new RateLimitKey(LimitedAction.Lookup, RateLimitScope.Address, "203.0.113.31");

        disposed.Dispose();
        await disposedAsync.DisposeAsync();
        lookups.Dispose();

        Assert.Throws<ObjectDisposedException>(() => disposed.AttemptAcquire(key));
        Assert.Throws<ObjectDisposedException>(() => disposedAsync.AttemptAcquire(key));
        Assert.Throws<ObjectDisposedException>(() => lookups.TryAcquire(new ClientContext("203.0.113.31"), "citizen:x"));
    }

    /// <summary>The same rules with the address's and the account's windows exchanged: the longer still wins.</summary>
    private static IdentityOptions Swapped(IdentityOptions options)
    {
        var swapped = new IdentityOptions();
        swapped.RateLimits.SignInPerAddress = options.RateLimits.SignInPerAccount;
        swapped.RateLimits.SignInPerAccount = options.RateLimits.SignInPerAddress;
        return swapped;
    }

    [Fact]
    public void Limiter_PermitsUpToTheRule_ThenRefusesWithRetryAfter()
    {
        var client = new ClientContext("203.0.113.7");
        for (var i = 0; i < 5; i++)
        {
            Assert.Null(_limiter.TryAcquire(LimitedAction.SignIn, client));
        }

        var refused = _limiter.TryAcquire(LimitedAction.SignIn, client);

        Assert.NotNull(refused);
        Assert.Equal(IdentityReasons.RateLimited, refused.Reason);
        Assert.Equal(FailureKind.RateLimited, refused.Kind);
        // The sliding window does not tell when its oldest permit comes back: the whole window is the safe answer.
        Assert.Equal(SignInWindow, refused.RetryAfter);
    }

    [Fact]
    public async Task Limiter_WindowSlides_OldPermitsComeBack()
    {
        var client = new ClientContext("203.0.113.7");
        Assert.Null(_limiter.TryAcquire(LimitedAction.OtpVerify, client));
        Assert.Null(_limiter.TryAcquire(LimitedAction.OtpVerify, client));
        var clock = Stopwatch.StartNew();
        Assert.NotNull(_limiter.TryAcquire(LimitedAction.OtpVerify, client));

        while (_limiter.TryAcquire(LimitedAction.OtpVerify, client) is not null)
        {
            // Generous: the library's replenishing timer runs late on a loaded machine; never is the failure.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the permits of a 1 s window never came back");
            await Task.Delay(20);
        }

        // Not before the window has (all but its last tenth) slid past the permits taken; how late the library's
        // timer hands them back depends on the machine's load, so only "they come back" is asserted beyond that.
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(800), $"a permit came back after {clock.Elapsed}, inside the window");
    }

    [Fact]
    public async Task Limiter_AsyncOverTheSlidingWindows_RefusesAtOnce_NeverWaitsForAPermit()
    {
        var client = new ClientContext("203.0.113.7");
        for (var i = 0; i < 5; i++)
        {
            Assert.Null(await _limiter.TryAcquireAsync(LimitedAction.SignIn, client, null, CancellationToken.None));
        }

        // The library queues a 0-permit AcquireAsync until a permit is back (five minutes here); InMemory answers it at once.
        var refused = await _limiter.TryAcquireAsync(LimitedAction.SignIn, client, null, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(SignInWindow, refused?.RetryAfter);
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
    public void Limiter_Actions_AreCountedApart()
    {
        var client = new ClientContext("203.0.113.7");
        for (var i = 0; i < 5; i++)
        {
            _limiter.TryAcquire(LimitedAction.SignIn, client);
        }

        Assert.NotNull(_limiter.TryAcquire(LimitedAction.SignIn, client));
        Assert.Null(_limiter.TryAcquire(LimitedAction.Lookup, client));
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
        Assert.NotNull(_limiter.TryAcquire(LimitedAction.SignIn, client, "citizen:079088001234"));
    }

    [Fact]
    public void Limiter_RetryAfterFromTheLimiter_IsPassedOn()
    {
        // A limiter that knows the exact wait (a fixed window, or a shared store) says so in its lease.
        using var fixedWindows = PartitionedRateLimiter.Create<RateLimitKey, string>(key => RateLimitPartition.GetFixedWindowLimiter(key.Key,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = 1, Window = TimeSpan.FromSeconds(42), QueueLimit = 0 }));
        var limiter = new AbuseLimiter(fixedWindows, _options);
        var client = new ClientContext("203.0.113.7");
        Assert.Null(limiter.TryAcquire(LimitedAction.SignIn, client));

        Assert.Equal(TimeSpan.FromSeconds(42), limiter.TryAcquire(LimitedAction.SignIn, client)?.RetryAfter);
    }

    [Theory]
    [InlineData(0, "00:05:00")]
    [InlineData(5, "00:00:00")]
    public void Rules_WithoutAPermitOrAWindow_AreRefusedAtStartUp(int permits, string window)
    {
        var options = new RateLimitOptions { LookupPerAccount = new RateLimitRule { Permits = permits, Window = TimeSpan.Parse(window, System.Globalization.CultureInfo.InvariantCulture) } };

        var error = Assert.Throws<InvalidOperationException>(options.Validate);

        Assert.Contains("Dvc:Identity:RateLimits:LookupPerAccount", error.Message, StringComparison.Ordinal);
    }
}
