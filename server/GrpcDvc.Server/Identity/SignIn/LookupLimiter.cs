using System.Threading.RateLimiting;
using GrpcDvc.Server.Access;

namespace GrpcDvc.Server.Identity.SignIn;

/// <summary>
/// The gate's lookup limits, in this instance's memory (<see cref="AbuseLimiter.InMemory"/>): lookups
/// are the hot path, and a database round trip per read of a citizen's data would cost more than
/// the read. With N instances behind a balancer each counts its own share, so each instance's
/// rule is the national limit divided by N (README, "Several instances").
/// </summary>
public sealed class LookupLimiter : ILookupLimiter, IDisposable
{
    private readonly PartitionedRateLimiter<RateLimitKey> _windows;
    private readonly AbuseLimiter _limiter;

    public LookupLimiter(IdentityOptions options)
    {
        _windows = AbuseLimiter.InMemory(options.RateLimits);
        _limiter = new AbuseLimiter(_windows, options);
    }

    public TimeSpan? TryAcquire(ClientContext client, string account)
        => _limiter.TryAcquire(LimitedAction.Lookup, client, account) is { } refused ? refused.RetryAfter ?? TimeSpan.Zero : null;

    public void Dispose() => _windows.Dispose();
}
