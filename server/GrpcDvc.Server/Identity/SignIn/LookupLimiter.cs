using GrpcDvc.Server.Access;

namespace GrpcDvc.Server.Identity.SignIn;

/// <summary>The gate's lookup limits, counted by the same partitioned limiter as sign-in and OTP attempts.</summary>
public sealed class LookupLimiter(AbuseLimiter limiter) : ILookupLimiter
{
    public TimeSpan? TryAcquire(ClientContext client, string account)
        => limiter.TryAcquire(LimitedAction.Lookup, client, account) is { } refused ? refused.RetryAfter ?? TimeSpan.Zero : null;
}
