using GrpcDvc.Tests.Faults;
using GrpcDvc.Tests.Support;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace GrpcDvc.Tests.Jobs;

/// <summary>
/// The embedded default (SQLite) keeps its schedule in the database file: the server is stopped (SIGTERM), stays down
/// past two firings of the heartbeat (every 3 s, misfire threshold 1 s), and the new process does what the
/// job's misfire policy says, once, from the stored trigger. Run with the fault tests (alone): it reads timings.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class JobRestartOnSqliteTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task FireOnceNow_AfterDowntimePastTwoFirings_RunsOnceAtStart_NotOncePerMissedFiring()
    {
        var (before, after, restartBegan, restartedAt) = await RunAcrossRestartAsync("FireOnceNow");

        // One run for everything missed: due in the downtime, run as the new process started.
        var catchUp = after[0];
        Assert.True(catchUp.ScheduledFireAt > before[^1].ScheduledFireAt && catchUp.ScheduledFireAt < restartBegan,
            $"the catch-up run was due {catchUp.ScheduledFireAt:O}; the server was down until {restartBegan:O}");
        Assert.True(catchUp.FiredAt <= restartedAt + TimeSpan.FromSeconds(2), $"the catch-up ran at {catchUp.FiredAt:O}, the server was up at {restartedAt:O}");
        Assert.Single(after, r => r.ScheduledFireAt < restartBegan);
        // Then on with the schedule, re-anchored at the catch-up.
        Assert.Equal(catchUp.FiredAt + Interval, after[1].ScheduledFireAt, TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public async Task SkipToNext_AfterDowntimePastTwoFirings_RunsNothingMissed_AndKeepsItsGrid()
    {
        var (before, after, restartBegan, _) = await RunAcrossRestartAsync("SkipToNext");

        // Quartz takes the next firing from the store ahead of its time; the stopped process had taken the
        // first one of the downtime, and the restart runs that one (a recovered firing, as after a crash:
        // docs/architecture.md#jobs). Nothing else due while the server was down ran.
        var missed = after.Where(r => r.ScheduledFireAt < restartBegan).ToList();
        Assert.True(missed.Count <= 1, $"{missed.Count} firings of the downtime ran");
        Assert.All(missed, r => Assert.Equal(before[^1].ScheduledFireAt + Interval, r.ScheduledFireAt));
        var next = after.First(r => r.ScheduledFireAt >= restartBegan);
        Assert.True(next.ScheduledFireAt - before[^1].ScheduledFireAt >= 3 * Interval, "the other firings of the downtime were skipped");
        // The next runs fall on the first schedule's grid: the stored trigger carried on, nothing re-anchored.
        var origin = before[0].ScheduledFireAt;
        Assert.All(after, r => Assert.Equal(0, (r.ScheduledFireAt - origin).Ticks % Interval.Ticks));
    }

    /// <summary>The runs before the kill and after the restart, when the restart began and when the new process listened.</summary>
    private async Task<(List<JobRunRow> Before, List<JobRunRow> After, DateTimeOffset RestartBegan, DateTimeOffset RestartedAt)>
        RunAcrossRestartAsync(string misfire)
    {
        string[] args =
        [
            "--Dvc:Population:DemoCitizens=0",
            "--Dvc:Jobs:Heartbeat:Enabled=true",
            $"--Dvc:Jobs:Heartbeat:Interval={Interval}",
            $"--Dvc:Jobs:Heartbeat:Misfire={misfire}",
            "--Dvc:Jobs:MisfireThreshold=00:00:01",
        ];
        await using var first = await ServerProcess.StartAsync(args);
        var dataDir = first.DataDir;
        var before = await JobRunRow.WaitForAsync(() => JobRunRow.HeartbeatsOnSqliteAsync(dataDir), rows => rows.Count >= 2,
            TimeSpan.FromSeconds(20), "two heartbeats before the stop");
        await first.StopAsync();
        var stoppedAt = DateTimeOffset.UtcNow;
        before = await JobRunRow.HeartbeatsOnSqliteAsync(dataDir);
        // Down until two more firings have come and gone, each late by more than the misfire threshold.
        var resumeAt = before[^1].ScheduledFireAt + (2 * Interval) + TimeSpan.FromSeconds(1.5);
        var wait = resumeAt - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        SqliteConnection.ClearAllPools();
        var restartBegan = DateTimeOffset.UtcNow;
        await using var second = await first.RestartAsync();
        var restartedAt = DateTimeOffset.UtcNow;
        var all = await JobRunRow.WaitForAsync(() => JobRunRow.HeartbeatsOnSqliteAsync(dataDir), rows => rows.Count >= before.Count + 2,
            TimeSpan.FromSeconds(20), "two heartbeats after the restart");
        await second.KillAsync();
        var after = all.Skip(before.Count).ToList();
        output.WriteLine($"stopped {stoppedAt:HH:mm:ss.fff}, restarted {restartBegan:HH:mm:ss.fff}, up again {restartedAt:HH:mm:ss.fff} ({second.StartupTime.TotalSeconds:0.0} s start)");
        foreach (var run in all)
        {
            output.WriteLine($"  due {run.ScheduledFireAt:HH:mm:ss.fff} ran {run.FiredAt:HH:mm:ss.fff} {run.InstanceId}");
        }

        Assert.All(all, r => Assert.Equal("NON_CLUSTERED", r.InstanceId));
        Assert.All(all.GroupBy(r => r.ScheduledFireAt), g => Assert.Single(g));
        return (before, after, restartBegan, restartedAt);
    }
}
