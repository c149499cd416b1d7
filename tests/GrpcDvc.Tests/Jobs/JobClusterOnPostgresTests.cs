using GrpcDvc.Tests.Faults;
using GrpcDvc.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace GrpcDvc.Tests.Jobs;

/// <summary>
/// Two server processes on one PostgreSQL database form one Quartz cluster: the heartbeat job (every 2 s, on
/// only for tests) runs each scheduled firing exactly once between them, and when the instance that is
/// running the firings is killed, the other carries on. Run with the fault tests (alone), since it reads
/// timings.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class JobClusterOnPostgresTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private readonly PostgresCluster _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task Heartbeat_TwoInstancesOnOneDatabase_RunEachFiringOnce_AndTheSurvivorCarriesOnAfterAKill()
    {
        var database = await _cluster.CreateDatabaseAsync();
        string[] args =
        [
            "--Dvc:Database:Provider=postgres",
            $"--Dvc:Database:ConnectionString={database}",
            "--Dvc:Jobs:Heartbeat:Enabled=true",
            $"--Dvc:Jobs:Heartbeat:Interval={Interval}",
            // A dead instance is noticed within about two check-ins.
            "--Dvc:Jobs:CheckinInterval=00:00:01",
            "--Logging:LogLevel:Quartz=Warning",
        ];
        var starts = new[] { ServerProcess.StartAsync(args), ServerProcess.StartAsync(args) };
        await Task.WhenAll(starts);
        await using var first = await starts[0];
        await using var second = await starts[1];
        var bothUp = DateTimeOffset.UtcNow;

        // Six firings with both instances up.
        var together = await JobRunRow.WaitForAsync(() => JobRunRow.HeartbeatsOnPostgresAsync(database),
            rows => rows.Count(r => r.FiredAt >= bothUp) >= 6, TimeSpan.FromSeconds(30), "six heartbeats with both instances up");
        var instances = together.Select(r => r.InstanceId).Distinct().ToList();
        Assert.All(instances, id => Assert.NotEqual("NON_CLUSTERED", id));
        // Both instances declared every job at start: each is stored once, with one trigger.
        Assert.Equal(1L, await ScalarAsync(database, "SELECT count(*) FROM qrtz_triggers WHERE job_group = 'jobs' AND job_name = 'heartbeat'"));
        Assert.Equal(2L, await ScalarAsync(database, "SELECT count(*) FROM qrtz_scheduler_state"));

        // Kill the instance that ran the latest firing: it is the one holding the schedule, if either is.
        var runner = together[^1].InstanceId;
        var (victim, survivor) = first.Output.Contains(runner, StringComparison.Ordinal) ? (first, second) : (second, first);
        await victim.KillAsync();
        var killedAt = DateTimeOffset.UtcNow;

        var all = await JobRunRow.WaitForAsync(() => JobRunRow.HeartbeatsOnPostgresAsync(database),
            rows => rows.Count(r => r.FiredAt > killedAt) >= 3, TimeSpan.FromSeconds(30), "three heartbeats after the kill");
        var afterKill = all.Where(r => r.FiredAt > killedAt).ToList();

        output.WriteLine($"{all.Count} runs; by instance: {string.Join(", ", all.GroupBy(r => r.InstanceId).Select(g => $"{g.Key}={g.Count()}"))}; "
            + $"killed {runner}; first run after the kill {(afterKill[0].FiredAt - killedAt).TotalSeconds:0.0} s after it");

        // Exactly once: no scheduled fire time and no firing was run twice, across both instances.
        Assert.All(all.GroupBy(r => r.ScheduledFireAt), g => Assert.Single(g));
        Assert.Equal(all.Count, all.Select(r => r.FireInstanceId).Distinct().Count());
        Assert.All(all, r => Assert.True(r.Succeeded));
        // While both were up, no firing was missed: consecutive firings are one interval apart.
        var spaced = together.Where(r => r.FiredAt >= bothUp).Select(r => r.ScheduledFireAt).ToList();
        Assert.All(spaced.Zip(spaced.Skip(1)), pair => Assert.Equal(Interval, pair.Second - pair.First));
        // The survivor, a clustered instance of its own, carried on.
        var survivorId = Assert.Single(afterKill.Select(r => r.InstanceId).Distinct());
        Assert.NotEqual(runner, survivorId);
        Assert.NotEqual("NON_CLUSTERED", survivorId);
        Assert.Contains(survivorId, survivor.Output, StringComparison.Ordinal);
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
