using System.Collections.Concurrent;

namespace GrpcDvc.Server.Identity;

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
/// Sliding-window request limits per key (a client address, an account or login name), on the
/// injected clock. Each key keeps the instants of its recent permits, at most the rule's permit
/// count, so memory is bounded by keys × permits; idle keys are swept.
/// System.Threading.RateLimiting's partitioned limiters were the alternative, but they run on
/// their own timers and cannot be driven by a TimeProvider in tests.
/// In memory, so per instance: N instances behind a balancer allow up to N times each limit.
/// A cluster that needs exact limits keeps the windows in a shared store (a PostgreSQL table
/// with INSERT … ON CONFLICT DO UPDATE counters per key and window, or Redis INCR + EXPIRE);
/// the interface stays the same.
/// </summary>
public sealed class AbuseLimiter(IdentityOptions options, TimeProvider time)
{
    private const int SweepEvery = 1024;

    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private int _sinceSweep;

    /// <summary>Takes a permit for the address and, when known, the account; both must have one left.</summary>
    public IdentityFailure? TryAcquire(LimitedAction action, ClientContext client, string? account = null)
    {
        var (perAddress, perAccount) = Rules(action);
        var now = time.GetUtcNow();
        var addressWindow = Get($"{action}|a|{client.AddressKey}", perAddress);
        var accountWindow = account is null ? null : Get($"{action}|u|{account}", perAccount);
        MaybeSweep(now);

        // Check both before taking either, so a refusal on one does not use up the other.
        var retry = Max(addressWindow.RetryAfter(now), accountWindow?.RetryAfter(now));
        if (retry is { } wait)
        {
            return IdentityFailure.RateLimited(wait);
        }

        retry = Max(addressWindow.TryTake(now), accountWindow?.TryTake(now));
        return retry is { } late ? IdentityFailure.RateLimited(late) : null;
    }

    private (RateLimitRule PerAddress, RateLimitRule PerAccount) Rules(LimitedAction action)
    {
        var limits = options.RateLimits;
        return action switch
        {
            LimitedAction.SignIn => (limits.SignInPerAddress, limits.SignInPerAccount),
            LimitedAction.OtpSend => (limits.OtpSendPerAddress, limits.OtpSendPerAddress),
            LimitedAction.OtpVerify => (limits.OtpVerifyPerAddress, limits.OtpVerifyPerAddress),
            LimitedAction.Lookup => (limits.LookupPerAddress, limits.LookupPerAccount),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
        };
    }

    private Window Get(string key, RateLimitRule rule) => _windows.GetOrAdd(key, static (_, r) => new Window(r), rule);

    private void MaybeSweep(DateTimeOffset now)
    {
        if (Interlocked.Increment(ref _sinceSweep) % SweepEvery != 0)
        {
            return;
        }

        foreach (var (key, window) in _windows)
        {
            if (window.IsIdle(now))
            {
                _windows.TryRemove(key, out _);
            }
        }
    }

    private static TimeSpan? Max(TimeSpan? a, TimeSpan? b) => (a, b) switch
    {
        (null, _) => b,
        (_, null) => a,
        _ => a > b ? a : b,
    };

    /// <summary>The permits one key took within the last window.</summary>
    private sealed class Window(RateLimitRule rule)
    {
        private readonly Queue<DateTimeOffset> _taken = new();

        public TimeSpan? RetryAfter(DateTimeOffset now)
        {
            lock (_taken)
            {
                Expire(now);
                return _taken.Count < rule.Permits ? null : _taken.Peek() + rule.Window - now;
            }
        }

        public TimeSpan? TryTake(DateTimeOffset now)
        {
            lock (_taken)
            {
                Expire(now);
                if (_taken.Count >= rule.Permits)
                {
                    return _taken.Peek() + rule.Window - now;
                }

                _taken.Enqueue(now);
                return null;
            }
        }

        public bool IsIdle(DateTimeOffset now)
        {
            lock (_taken)
            {
                Expire(now);
                return _taken.Count == 0;
            }
        }

        private void Expire(DateTimeOffset now)
        {
            while (_taken.Count > 0 && _taken.Peek() + rule.Window <= now)
            {
                _taken.Dequeue();
            }
        }
    }
}
