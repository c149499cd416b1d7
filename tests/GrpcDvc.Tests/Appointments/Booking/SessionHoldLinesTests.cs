using GrpcDvc.Server.Appointments;
using GrpcDvc.Server.Appointments.Booking;
using Npgsql;

namespace GrpcDvc.Tests.Appointments.Booking;

/// <summary>
/// The line of holds per session: one runs alone, those arriving meanwhile go as one batch led by the first of
/// them, in order of arrival; a batch's failure on a unique index sends each member to hold alone, any other
/// failure is every member's. The database is a stand-in here: the statement is BookingStormTests' business.
/// </summary>
public sealed class SessionHoldLinesTests
{
    private readonly SessionHoldLines _lines = new();

    [Fact]
    public async Task HoldsArrivingWhileOneRuns_GoTogetherInTheNextBatch_InOrderOfArrival_LedByTheFirst()
    {
        var first = Row(1);
        var running = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var alone = Hold(first, () => running.Task, Unexpected);
        var batches = new List<IReadOnlyList<Guid>>();
        var later = Enumerable.Range(2, 3).Select(i => Row(1, i)).ToList();
        var waiting = later.Select(row => Hold(row, UnexpectedAlone, rows =>
        {
            batches.Add(rows.Select(r => r.Id).ToList());
            // Two places were left: the first two of the batch get them.
            return Task.FromResult<IReadOnlySet<Guid>>(rows.Take(2).Select(r => r.Id).ToHashSet());
        })).ToList();

        running.SetResult(true);
        var outcomes = await Task.WhenAll(waiting);

        Assert.Equal(HoldOutcome.Held, await alone);
        Assert.Equal(later.Select(r => r.Id), Assert.Single(batches));
        Assert.Equal([HoldOutcome.Held, HoldOutcome.Held, HoldOutcome.NoPlace], outcomes);
        Assert.Equal(3, _lines.Batched);
    }

    [Fact]
    public async Task ALineEmptied_TheNextHoldRunsAlone_AndOtherSessionsNeverWait()
    {
        Assert.Equal(HoldOutcome.NoPlace, await Hold(Row(1), () => Task.FromResult(false), Unexpected));
        var blocked = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var busy = Hold(Row(1), () => blocked.Task, Unexpected);

        var elsewhere = await Hold(Row(2), () => Task.FromResult(true), Unexpected);

        Assert.Equal(HoldOutcome.Held, elsewhere);
        blocked.SetResult(true);
        Assert.Equal(HoldOutcome.Held, await busy);
        Assert.Equal(HoldOutcome.Held, await Hold(Row(1), () => Task.FromResult(true), Unexpected));
        Assert.Equal(0, _lines.Batched);
    }

    [Fact]
    public async Task ABatchFailingOnAUniqueIndex_SendsEachMemberToHoldAlone()
    {
        var outcomes = await BatchAfterOneAsync(_ => throw new PostgresException("duplicate key", "ERROR", "ERROR", "23505"));

        Assert.All(outcomes, o => Assert.Equal(HoldOutcome.Alone, o.Result));
    }

    [Fact]
    public async Task ABatchFailingOtherwise_FailsEveryMemberWithItsError()
    {
        var failure = new InvalidOperationException("the database went away");

        var outcomes = await BatchAfterOneAsync(_ => throw failure);

        Assert.All(outcomes, o => Assert.Same(failure, o.Exception?.InnerException));
    }

    [Fact]
    public async Task ALoneHoldsFailure_IsItsOwn_AndTheLineGoesOn()
    {
        var duplicate = new PostgresException("duplicate key", "ERROR", "ERROR", "23505");
        var failed = await Assert.ThrowsAsync<PostgresException>(() => Hold(Row(1), () => throw duplicate, Unexpected));

        Assert.Same(duplicate, failed);
        Assert.Equal(HoldOutcome.Held, await Hold(Row(1), () => Task.FromResult(true), Unexpected));
    }

    /// <summary>
    /// A booking that reads and holds in one statement leads its line before it knows the session's id: the
    /// key is what it names. While it runs, no other booking of that session leads, and holds arriving wait for
    /// it; other sessions never wait; once it is done, the waiting hold goes, and the line empties after it.
    /// </summary>
    [Fact]
    public async Task ABookingLeadingItsLine_KeepsTheSessionsHoldsWaiting_UntilItIsDone()
    {
        var key = SessionHoldLines.Key("T1", new DateOnly(2026, 12, 1), 1);
        Assert.True(_lines.TryLead(key));
        Assert.False(_lines.TryLead(key));
        Assert.True(_lines.TryLead(SessionHoldLines.Key("T1", new DateOnly(2026, 12, 1), 2)));

        var waiting = Hold(Row(1, 2), () => Task.FromResult(true), Unexpected);
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);

        _lines.Done(key);
        Assert.Equal(HoldOutcome.Held, await waiting);
        Assert.True(_lines.TryLead(key));
    }

    /// <summary>A hold in its session's line, keyed as a booking keys it (the row's session standing for station, date and part).</summary>
    private Task<HoldOutcome> Hold(AppointmentRecord row, Func<Task<bool>> alone, Func<IReadOnlyList<AppointmentRecord>, Task<IReadOnlySet<Guid>>> together)
        => _lines.HoldAsync(SessionHoldLines.Key("T1", new DateOnly(2026, 12, 1), (int)row.SessionId), row, alone, together);

    /// <summary>One hold runs (blocked) while two more arrive; the two then run as a batch with <paramref name="together"/>.</summary>
    private async Task<Task<HoldOutcome>[]> BatchAfterOneAsync(Func<IReadOnlyList<AppointmentRecord>, Task<IReadOnlySet<Guid>>> together)
    {
        var running = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = Hold(Row(1), () => running.Task, Unexpected);
        var waiting = new[] { Hold(Row(1, 2), UnexpectedAlone, together), Hold(Row(1, 3), UnexpectedAlone, together) };
        running.SetResult(true);
        await first;
        try
        {
            await Task.WhenAll(waiting);
        }
        catch (InvalidOperationException)
        {
            // Inspected per member by the caller.
        }

        return waiting;
    }

    private static Task<IReadOnlySet<Guid>> Unexpected(IReadOnlyList<AppointmentRecord> rows) => throw new InvalidOperationException("No batch was expected here.");

    private static Task<bool> UnexpectedAlone() => throw new InvalidOperationException("A member of a batch does not run alone.");

    private static AppointmentRecord Row(long session, int citizen = 1) => new()
    {
        Id = Guid.NewGuid(),
        AccountId = Guid.NewGuid(),
        IdNumber = $"0010900{citizen:D5}",
        FullName = "Nguyễn Văn Chờ",
        ProcedureCode = "BCA-L3-01",
        StationId = "T-01",
        SessionId = session,
        Status = AppointmentStatuses.Held,
        ActiveProcedure = "BCA-L3-01",
        RequestId = Guid.NewGuid().ToString(),
        BookedAt = DateTimeOffset.UnixEpoch,
        Version = 1,
    };
}
