using System.Data.Common;
using System.Threading.RateLimiting;
using GrpcDvc.Server.Access;

namespace GrpcDvc.Server.Identity.SignIn;

/// <summary>The requests abuse limits count, each with its own rule per address and per account.</summary>
public enum LimitedAction
{
    SignIn,
    OtpSend,
    OtpVerify,

    /// <summary>Reads of citizens' data (counted by the authorization gate on the services in Dvc:Access:LookupLimitedServices).</summary>
    Lookup,
}

/// <summary>
/// Request limits per client address and per account, over a
/// <see cref="PartitionedRateLimiter{TResource}"/> with one partition per <see cref="RateLimitKey"/>.
/// Sign-in and OTP limits guard against brute force, so by default they are counted in the database
/// (<see cref="AbuseCounters"/>) and hold across every instance sharing it; registering another
/// <c>PartitionedRateLimiter&lt;RateLimitKey&gt;</c> before AddIdentity replaces it. Such a limiter must
/// never queue: AcquireAsync answers at once, for 0 permits too (whether one is left). Lookups are
/// counted in each instance's memory (<see cref="InMemory"/>, through <see cref="LookupLimiter"/>).
/// </summary>
public sealed class AbuseLimiter(PartitionedRateLimiter<RateLimitKey> limits, IdentityOptions options)
{
    /// <summary>
    /// How finely a sliding window counts: a permit comes back between 9/10 and 10/10 of the window
    /// after it was taken, each tenth running up to 100 ms late (the limiter's timer): +2% at most
    /// on a one-minute window, measured +50–80% on a one-second one.
    /// </summary>
    public const int SegmentsPerWindow = 10;

    /// <summary>How long a client is told to wait when the counters cannot be reached.</summary>
    public static readonly TimeSpan UnavailableRetry = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Takes a permit for the address and, when known, the account; both must have one left, and
    /// a refusal by one does not use up the other's. When the limits cannot be counted (the
    /// database fails) the request is refused as UNAVAILABLE: a brute-force limit that lifts
    /// whenever its store is down would be lifted by whoever can overload the store.
    /// </summary>
    /// <returns>Null when both permits were taken; else the refusal, with when to retry.</returns>
    public async ValueTask<IdentityFailure?> TryAcquireAsync(LimitedAction action, ClientContext client, string? account, CancellationToken cancellationToken)
    {
        var keys = Keys(action, client, account);
        try
        {
            // Asking for 0 permits tells whether any are left without taking one.
            return await RefusalAsync(keys, permits: 0, cancellationToken)
                // Another request may have taken the last permit in between: then this one is refused too.
                ?? await RefusalAsync(keys, permits: 1, cancellationToken);
        }
        catch (DbException)
        {
            return new IdentityFailure(FailureKind.Unavailable, IdentityReasons.RateLimitsUnavailable,
                "Requests cannot be counted right now; try again shortly.") { RetryAfter = UnavailableRetry };
        }
    }

    /// <summary>As <see cref="TryAcquireAsync"/>, without waiting: for limiters that answer from memory (the lookups).</summary>
    public IdentityFailure? TryAcquire(LimitedAction action, ClientContext client, string? account = null)
    {
        var keys = Keys(action, client, account);
        return Refusal(keys, permits: 0) ?? Refusal(keys, permits: 1);
    }

    /// <summary>The sliding windows of the configured rules, in this instance's memory; never queueing.</summary>
    /// <remarks>
    /// The partitioned limiter replenishes every partition on its own 100 ms timer and drops a
    /// partition that has been idle (every permit back) for 10 s, so memory follows the keys seen
    /// within the last window: about 400 bytes each, measured.
    /// </remarks>
    public static PartitionedRateLimiter<RateLimitKey> InMemory(RateLimitOptions rules)
        => new ImmediateLimiter(PartitionedRateLimiter.Create<RateLimitKey, RateLimitKey>(key => RateLimitPartition.GetSlidingWindowLimiter(key, k =>
        {
            var rule = rules.RuleFor(k.Action, k.Scope);
            return new SlidingWindowRateLimiterOptions
            {
                PermitLimit = rule.Permits,
                Window = rule.Window,
                SegmentsPerWindow = SegmentsPerWindow,
                QueueLimit = 0, // refuse at once; a caller over the limit is told when to come back
            };
        })));

    private static RateLimitKey[] Keys(LimitedAction action, ClientContext client, string? account) => account is null
        ? [new(action, RateLimitScope.Address, client.AddressKey)]
        : [new(action, RateLimitScope.Address, client.AddressKey), new(action, RateLimitScope.Account, account)];

    private IdentityFailure? Refusal(RateLimitKey[] keys, int permits)
    {
        TimeSpan? wait = null;
        foreach (var key in keys)
        {
            using var lease = limits.AttemptAcquire(key, permits);
            wait = Longest(wait, lease, key);
        }

        return wait is { } longest ? IdentityFailure.RateLimited(longest) : null;
    }

    private async ValueTask<IdentityFailure?> RefusalAsync(RateLimitKey[] keys, int permits, CancellationToken cancellationToken)
    {
        TimeSpan? wait = null;
        foreach (var key in keys)
        {
            using var lease = await limits.AcquireAsync(key, permits, cancellationToken);
            wait = Longest(wait, lease, key);
        }

        return wait is { } longest ? IdentityFailure.RateLimited(longest) : null;
    }

    private TimeSpan? Longest(TimeSpan? wait, RateLimitLease lease, RateLimitKey key)
    {
        if (lease.IsAcquired)
        {
            return wait;
        }

        var retryAfter = RetryAfter(lease, key);
        return wait is { } other && other > retryAfter ? other : retryAfter;
    }

    /// <summary>
    /// The lease's own retry-after when the limiter knows it (the database counters do). The sliding
    /// window does not say when its oldest permits come back, so the answer is then the rule's whole
    /// window: about the longest anyone has to wait (the timer's lag can add up to 100 ms per tenth of the window).
    /// </summary>
    private TimeSpan RetryAfter(RateLimitLease lease, RateLimitKey key)
        => lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : options.RateLimits.RuleFor(key.Action, key.Scope).Window;

    /// <summary>
    /// System.Threading.RateLimiting's limiters queue a 0-permit AcquireAsync until a permit is back,
    /// even with QueueLimit 0; abuse limits never wait, so both calls answer from AttemptAcquire.
    /// </summary>
    private sealed class ImmediateLimiter(PartitionedRateLimiter<RateLimitKey> inner) : PartitionedRateLimiter<RateLimitKey>
    {
        public override RateLimiterStatistics? GetStatistics(RateLimitKey resource) => inner.GetStatistics(resource);

        protected override RateLimitLease AttemptAcquireCore(RateLimitKey resource, int permitCount) => inner.AttemptAcquire(resource, permitCount);

        protected override ValueTask<RateLimitLease> AcquireAsyncCore(RateLimitKey resource, int permitCount, CancellationToken cancellationToken)
            => ValueTask.FromResult(inner.AttemptAcquire(resource, permitCount));

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        protected override async ValueTask DisposeAsyncCore()
        {
            await inner.DisposeAsync();
            await base.DisposeAsyncCore();
        }
    }
}
