namespace GrpcDvc.Server.Appointments.Booking;

/// <summary>
/// When a memo of an instance drops its expired entries: at most once per memo span, whoever adds first after
/// it. An entry seldom asked for again (a session whose day has passed) would otherwise stay for the life of
/// the process; with this the memo holds what the last two spans remembered, and a sweep is one pass over that.
/// </summary>
internal sealed class MemoSweep(TimeSpan span)
{
    private long _nextTicks;

    /// <summary>True for the one caller that should sweep now.</summary>
    public bool Due(DateTimeOffset now)
    {
        var due = Interlocked.Read(ref _nextTicks);
        return now.UtcTicks >= due && Interlocked.CompareExchange(ref _nextTicks, (now + span).UtcTicks, due) == due;
    }
}
