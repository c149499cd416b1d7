using System.Collections.Concurrent;

namespace GrpcDvc.Server.Appointments.Booking;

/// <summary>
/// When a memo of an instance drops its expired entries: at most once per memo span, whoever adds first after
/// it. An entry seldom asked for again (a session whose day has passed) would otherwise stay for the life of
/// the process; with this the memo holds what the last two spans remembered, and a sweep is one pass over that.
/// </summary>
internal sealed class MemoSweep(TimeSpan span)
{
    private long _nextTicks;

    /// <summary>Drops the entries of <paramref name="memo"/> past their time, if this caller is the one to sweep now.</summary>
    public void DropExpired<TValue>(ConcurrentDictionary<string, TValue> memo, DateTimeOffset now, Func<TValue, DateTimeOffset> until)
    {
        var due = Interlocked.Read(ref _nextTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextTicks, (now + span).UtcTicks, due) != due)
        {
            return;
        }

        foreach (var entry in memo.Where(e => until(e.Value) <= now))
        {
            memo.TryRemove(entry);
        }
    }
}
