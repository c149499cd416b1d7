using GrpcDvc.Grpc.Wire;

namespace GrpcDvc.Grpc.Internal;

/// <summary>
/// A call's deadline, from its grpc-timeout header. The header may say up to 99999999 hours:
/// far more than one .NET timer can wait (about 49.7 days) or a DateTime can reach (year 9999).
/// So the wait is taken in steps, and a deadline past DateTime's range counts as none.
/// A struct: every call has one, and most calls have none, so it should cost no allocation.
/// </summary>
internal readonly struct CallDeadline
{
    /// <summary>The longest delay a single .NET timer accepts.</summary>
    internal static readonly TimeSpan LongestTimerDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly TimeProvider _clock;
    private readonly long _startTimestamp;
    private readonly TimeSpan? _timeout;

    private CallDeadline(TimeProvider clock, TimeSpan? timeout, DateTime utc)
    {
        _clock = clock;
        _startTimestamp = timeout is null ? 0 : clock.GetTimestamp(); // only a set deadline is ever waited for
        _timeout = timeout;
        Utc = utc;
    }

    /// <summary>When the call must end, in UTC; <see cref="DateTime.MaxValue"/> when it has no deadline.</summary>
    public DateTime Utc { get; }

    public bool IsSet => _timeout is not null;

    /// <summary>True when the call arrived with no time left ("0m"; "99n" too, as it rounds down to zero).</summary>
    public bool HasExpired => _timeout <= TimeSpan.Zero;

    /// <summary>The deadline the client's grpc-timeout header asks for; none when it is absent or malformed.</summary>
    public static CallDeadline FromHeader(string? header, TimeProvider clock)
    {
        if (string.IsNullOrEmpty(header) || !GrpcTimeout.TryParse(header, out var timeout))
        {
            return new CallDeadline(clock, null, DateTime.MaxValue);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        return timeout < DateTime.MaxValue - now
            ? new CallDeadline(clock, timeout, now + timeout)
            : new CallDeadline(clock, null, DateTime.MaxValue);
    }

    /// <summary>
    /// Completes when the deadline passes (never, when there is none). Cancel <paramref name="stop"/>
    /// when the call ends first, to release the timer.
    /// </summary>
    public async Task WaitAsync(CancellationToken stop)
    {
        if (_timeout is not { } timeout)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, _clock, stop);
            return;
        }

        while (timeout - _clock.GetElapsedTime(_startTimestamp) is var left && left > TimeSpan.Zero)
        {
            // Whole milliseconds, as timers count them: a shorter step would return at once and spin.
            var step = TimeSpan.FromMilliseconds(Math.Ceiling(left.TotalMilliseconds));
            await Task.Delay(step < LongestTimerDelay ? step : LongestTimerDelay, _clock, stop);
        }
    }
}
