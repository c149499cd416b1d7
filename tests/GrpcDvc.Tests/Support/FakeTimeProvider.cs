namespace GrpcDvc.Tests.Support;

/// <summary>
/// A clock the test moves by hand. Only "now" is faked: timers and delays still run on real
/// time, which is fine because the code under test reads the clock and never waits on it.
/// </summary>
public sealed class FakeTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly object _gate = new();
    private DateTimeOffset _now = start;

    /// <summary>A fixed Monday morning in Hanoi (08:00 +07:00), so tests do not depend on the day they run.</summary>
    public FakeTimeProvider()
        : this(new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.Zero))
    {
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        lock (_gate)
        {
            _now += by;
        }
    }

    public void SetUtcNow(DateTimeOffset now)
    {
        lock (_gate)
        {
            _now = now;
        }
    }
}
