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
/// The default (<see cref="InMemory"/>) is System.Threading.RateLimiting's sliding windows, so per
/// instance: N instances behind a balancer allow up to N times each limit. Registering another
/// <c>PartitionedRateLimiter&lt;RateLimitKey&gt;</c> before AddIdentity replaces it — e.g. one
/// counting in a database table shared by the instances, with <see cref="RateLimitOptions.RuleFor"/>
/// for the rules; it may put the exact wait in its failed leases' <see cref="MetadataName.RetryAfter"/>.
/// </summary>
public sealed class AbuseLimiter(PartitionedRateLimiter<RateLimitKey> limits, IdentityOptions options)
{
    /// <summary>
    /// How finely a sliding window counts: a permit comes back between 9/10 and 10/10 of the window
    /// after it was taken, each tenth running up to 100 ms late (the limiter's timer): +2% at most
    /// on a one-minute window, measured +50–80% on a one-second one.
    /// </summary>
    public const int SegmentsPerWindow = 10;

    /// <summary>
    /// Takes a permit for the address and, when known, the account; both must have one left, and
    /// a refusal by one does not use up the other's.
    /// </summary>
    /// <returns>Null when both permits were taken; else the refusal, with when to retry.</returns>
    public IdentityFailure? TryAcquire(LimitedAction action, ClientContext client, string? account = null)
    {
        RateLimitKey[] keys = account is null
            ? [new(action, RateLimitScope.Address, client.AddressKey)]
            : [new(action, RateLimitScope.Address, client.AddressKey), new(action, RateLimitScope.Account, account)];

        // Asking for 0 permits tells whether any are left without taking one.
        if (Refusal(keys, permits: 0) is { } exhausted)
        {
            return exhausted;
        }

        // Another request may have taken the last permit in between: then this one is refused too.
        return Refusal(keys, permits: 1);
    }

    /// <summary>The sliding windows of the configured rules, in this instance's memory.</summary>
    /// <remarks>
    /// The partitioned limiter replenishes every partition on its own 100 ms timer and drops a
    /// partition that has been idle (every permit back) for 10 s, so memory follows the keys seen
    /// within the last window: about 400 bytes each, measured.
    /// </remarks>
    public static PartitionedRateLimiter<RateLimitKey> InMemory(RateLimitOptions rules)
        => PartitionedRateLimiter.Create<RateLimitKey, RateLimitKey>(key => RateLimitPartition.GetSlidingWindowLimiter(key, k =>
        {
            var rule = rules.RuleFor(k.Action, k.Scope);
            return new SlidingWindowRateLimiterOptions
            {
                PermitLimit = rule.Permits,
                Window = rule.Window,
                SegmentsPerWindow = SegmentsPerWindow,
                QueueLimit = 0, // refuse at once; a caller over the limit is told when to come back
            };
        }));

    private IdentityFailure? Refusal(RateLimitKey[] keys, int permits)
    {
        TimeSpan? wait = null;
        foreach (var key in keys)
        {
            using var lease = limits.AttemptAcquire(key, permits);
            if (!lease.IsAcquired)
            {
                var retryAfter = RetryAfter(lease, key);
                wait = wait is { } other && other > retryAfter ? other : retryAfter;
            }
        }

        return wait is { } longest ? IdentityFailure.RateLimited(longest) : null;
    }

    /// <summary>
    /// The lease's own retry-after when the limiter knows it. The sliding window does not say when
    /// its oldest permits come back, so the answer is then the rule's whole window: about the
    /// longest anyone has to wait (the timer's lag can add up to 100 ms per tenth of the window).
    /// </summary>
    private TimeSpan RetryAfter(RateLimitLease lease, RateLimitKey key)
        => lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : options.RateLimits.RuleFor(key.Action, key.Scope).Window;
}
