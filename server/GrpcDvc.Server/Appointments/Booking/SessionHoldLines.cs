namespace GrpcDvc.Server.Appointments.Booking;

/// <summary>What became of one booking's hold in <see cref="SessionHoldLines"/>.</summary>
public enum HoldOutcome
{
    /// <summary>The place was taken and the appointment row inserted.</summary>
    Held,

    /// <summary>No place was left for it (nothing written).</summary>
    NoPlace,

    /// <summary>Its batch failed on a unique index (a retried request id, a second active appointment): take the place on your own.</summary>
    Alone,
}

/// <summary>
/// One line per session for the holds of this instance (PostgreSQL). When a new day opens, hundreds of
/// bookings race for the same few sessions; each hold locks the session's row until it commits, so they
/// would take their places one commit after another. Here a hold that finds no other of its session under
/// way runs on its own; those that arrive meanwhile wait, and go together in the next statement, run by
/// the first of them for all (<see cref="SessionPlaces"/>): one row lock and one commit for the batch.
/// The places are given in order of arrival, and never beyond the capacity: the batch's one conditional
/// update takes at most the places left. A batch failing on a unique index tells each of its bookings to
/// hold alone (each then meets its own duplicate, or none); any other failure is every member's failure.
/// Per instance: instances share only the row lock, as before. A line is keyed by what a booking names
/// (<see cref="Key"/>: station, date, part), so a booking may lead its session's line (<see cref="TryLead"/>)
/// before it has read the session's id: on PostgreSQL a booking that finds its line empty reads and holds
/// in one statement (<see cref="SessionPlaces.LookAndHoldAsync"/>).
/// </summary>
public sealed class SessionHoldLines
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<WaitingHold>?> _lines = new(StringComparer.Ordinal);
    private long _batched;

    /// <summary>Bookings that took part in a batch of more than one, since start (for tests and diagnostics).</summary>
    public long Batched => Interlocked.Read(ref _batched);

    /// <summary>The line's key of a session: the station, the date and the part a booking names.</summary>
    public static string Key(string stationId, DateOnly date, int part)
        => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{stationId}|{date:yyyy-MM-dd}|{part}");

    /// <summary>
    /// True when no hold of the session is under way: the caller now leads its line, holds on its own, and
    /// must call <see cref="Done"/> after (those arriving meanwhile wait for it). False when one is under way.
    /// </summary>
    public bool TryLead(string key)
    {
        lock (_lock)
        {
            return _lines.TryAdd(key, null);
        }
    }

    /// <summary>The hold a <see cref="TryLead"/> started is done: the holds that arrived meanwhile go as the next batch.</summary>
    public void Done(string key) => Next(key);

    /// <summary>
    /// Holds <paramref name="row"/>'s place: with <paramref name="alone"/> when no hold of its session
    /// (<paramref name="key"/>) is under way, else in the next batch of its session, which one of its members
    /// runs with <paramref name="together"/> (given the rows in order of arrival, answering the ids it inserted).
    /// </summary>
    public async Task<HoldOutcome> HoldAsync(
        string key, AppointmentRecord row, Func<Task<bool>> alone, Func<IReadOnlyList<AppointmentRecord>, Task<IReadOnlySet<Guid>>> together)
    {
        WaitingHold? waiting = null;
        lock (_lock)
        {
            if (_lines.TryGetValue(key, out var line))
            {
                waiting = new WaitingHold(row);
                (line ??= _lines[key] = []).Add(waiting);
            }
            else
            {
                // No hold of this session under way: this one runs now, and the line opens behind it.
                _lines[key] = null;
            }
        }

        if (waiting is null)
        {
            try
            {
                return await alone() ? HoldOutcome.Held : HoldOutcome.NoPlace;
            }
            finally
            {
                Next(key);
            }
        }

        var turn = await waiting.Turn.Task;
        if (turn is { } batch)
        {
            await RunAsync(key, batch, alone, together);
        }

        return await waiting.Outcome.Task;
    }

    /// <summary>The batch's leader runs it for all its members; the line's next batch starts when it is done.</summary>
    private async Task RunAsync(string key, List<WaitingHold> batch, Func<Task<bool>> alone, Func<IReadOnlyList<AppointmentRecord>, Task<IReadOnlySet<Guid>>> together)
    {
        try
        {
            if (batch.Count == 1)
            {
                batch[0].Outcome.TrySetResult(await alone() ? HoldOutcome.Held : HoldOutcome.NoPlace);
                return;
            }

            Interlocked.Add(ref _batched, batch.Count);
            var held = await together(batch.ConvertAll(w => w.Row));
            foreach (var member in batch)
            {
                member.Outcome.TrySetResult(held.Contains(member.Row.Id) ? HoldOutcome.Held : HoldOutcome.NoPlace);
            }
        }
        catch (Exception e) when (SessionPlaces.IsDuplicate(e) && batch.Count > 1)
        {
            foreach (var member in batch)
            {
                member.Outcome.TrySetResult(HoldOutcome.Alone);
            }
        }
        catch (Exception e)
        {
            foreach (var member in batch)
            {
                member.Outcome.TrySetException(e);
            }
        }
        finally
        {
            Next(key);
        }
    }

    /// <summary>A hold of the session is done: the holds waiting meanwhile become the next batch, led by the first; else the line closes.</summary>
    private void Next(string key)
    {
        List<WaitingHold>? batch;
        lock (_lock)
        {
            batch = _lines[key];
            if (batch is null)
            {
                _lines.Remove(key);
                return;
            }

            _lines[key] = null;
        }

        batch[0].Turn.SetResult(batch);
        for (var i = 1; i < batch.Count; i++)
        {
            batch[i].Turn.SetResult(null);
        }
    }

    private sealed class WaitingHold(AppointmentRecord row)
    {
        public AppointmentRecord Row { get; } = row;

        /// <summary>The batch, for its leader; null for the others.</summary>
        public TaskCompletionSource<List<WaitingHold>?> Turn { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<HoldOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
