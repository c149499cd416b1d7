using System.Collections.Concurrent;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Server.Errors;

namespace GrpcDvc.Server.Appointments.Booking;

/// <summary>
/// Admission control for a booking storm, per instance. At most <see cref="BookingOptions.MaxInFlight"/>
/// bookings work at once, so the database sees a bounded number of short transactions instead of
/// thousands of connections queueing on one hot row; up to <see cref="BookingOptions.MaxQueued"/> more
/// wait at most <see cref="BookingOptions.QueueWait"/>; anyone else is answered at once with
/// UNAVAILABLE, reason BOOKING_BUSY and a RetryInfo, instead of timing out. Also remembers, briefly,
/// the sessions this instance found full: a refusal may come from that memo, a place never does (only
/// the conditional update grants one).
/// </summary>
public sealed class BookingGate(BookingOptions options, TimeProvider time, NearbyOffers offers) : IDisposable
{
    public const string BusyReason = "BOOKING_BUSY";

    private readonly SemaphoreSlim _slots = new(options.MaxInFlight, options.MaxInFlight);
    private readonly ConcurrentDictionary<string, FullSession> _full = new(StringComparer.Ordinal);
    private readonly MemoSweep _sweep = new(options.FullMemo);
    private int _waiting;

    /// <summary>Enters the gate; dispose the answer to leave. Throws UNAVAILABLE when the gate is full for too long.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        if (_slots.Wait(0, cancellationToken))
        {
            return new Pass(_slots);
        }

        if (Interlocked.Increment(ref _waiting) > options.MaxQueued)
        {
            Interlocked.Decrement(ref _waiting);
            throw Busy();
        }

        try
        {
            if (await _slots.WaitAsync(options.QueueWait, cancellationToken))
            {
                return new Pass(_slots);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }

        throw Busy();
    }

    /// <summary>
    /// The refusal remembered for a session (station, date, part) found full a moment ago for the
    /// procedure, or null. Keyed by what the request names, so a refusal costs no database round.
    /// </summary>
    public RpcException? KnownFull(string stationId, DateOnly date, int part, string procedureCode)
    {
        var key = Key(stationId, date, part, procedureCode);
        if (_full.TryGetValue(key, out var full))
        {
            if (full.Until > time.GetUtcNow())
            {
                return BookingErrors.Full(full.SessionId, full.Label, full.Alternatives);
            }

            _full.TryRemove(new KeyValuePair<string, FullSession>(key, full));
        }

        return null;
    }

    public void RememberFull(BookedSession target, string procedureCode, OpenSessions alternatives)
    {
        if (options.FullMemo > TimeSpan.Zero)
        {
            var now = time.GetUtcNow();
            _sweep.DropExpired(_full, now, f => f.Until);
            var session = target.Session;
            _full[Key(session.StationId, session.Date, session.Part, procedureCode)] =
                new FullSession(now + options.FullMemo, session.Id, target.Label, alternatives);
        }
    }

    /// <summary>Sessions remembered full now, expired or not (for tests and metrics).</summary>
    internal int Remembered => _full.Count;

    /// <summary>This instance freed a place of the session: forget it was full, and what was offered around it.</summary>
    public void Freed(long sessionId)
    {
        offers.Forget();
        foreach (var entry in _full.Where(e => e.Value.SessionId == sessionId))
        {
            _full.TryRemove(entry);
        }
    }

    /// <summary>
    /// A manager changed quotas or sessions on this instance: any session may have places now, so both memos
    /// start over. Rare beside bookings, so forgetting everything costs a few reads, not a storm's worth.
    /// </summary>
    public void PlacesChanged()
    {
        offers.Forget();
        _full.Clear();
    }

    public void Dispose() => _slots.Dispose();

    private RpcException Busy() => RpcErrors.Create(StatusCode.Unavailable,
        "Too many bookings at this moment; try again shortly with the same request id.",
        new RetryInfo { RetryDelay = Duration.FromTimeSpan(options.RetryAfter) }, RpcErrors.Reason(BusyReason));

    private static string Key(string stationId, DateOnly date, int part, string procedureCode)
        => $"{SessionHoldLines.Key(stationId, date, part)}|{procedureCode}";

    private sealed record FullSession(DateTimeOffset Until, long SessionId, string Label, OpenSessions Alternatives);

    private sealed class Pass(SemaphoreSlim slots) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
