using GrpcDvc.Server.Appointments;
using GrpcDvc.Server.Appointments.Stations;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Quartz;

namespace GrpcDvc.Tests.Appointments.Stations;

/// <summary>The roll-forward job run directly on a fake clock against a real database; once per provider.</summary>
public abstract class StationRollForwardTests : IAsyncLifetime
{
    private InProcessServer _server = null!;

    private StationWorld World { get; set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await StartServerAsync();
        World = new StationWorld(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    protected abstract Task<InProcessServer> StartServerAsync();

    private StationRollForwardJob Job(TimeProvider clock)
        => new(_server.Services.GetRequiredService<IServiceScopeFactory>(), clock, NullLogger<StationRollForwardJob>.Instance);

    /// <summary>A station stored straight into the database with no session rows yet, as if the server had been down.</summary>
    private async Task<string> BareStationAsync(int window, int releaseMinute)
    {
        var commune = await World.CommuneAsync();
        var id = StationWorld.NewStationCode();
        await World.WithDbAsync(async db =>
        {
            db.Set<StationRecord>().Add(new StationRecord
            {
                Id = id, Name = "Trạm cuộn", Kind = StationKinds.Fixed, UnitId = commune.Id, UnitCode = commune.Code, CommuneUnitId = commune.Id,
                CommuneCode = commune.Code, Address = "2 Đường Thử", BookingWindowDays = window, ReleaseMinute = releaseMinute, Accepting = true,
                Version = 1, CreateRequestId = StationWorld.NewId(),
            });
            for (var weekday = 1; weekday <= 7; weekday++)
            {
                db.Set<StationTemplateSessionRecord>().Add(new StationTemplateSessionRecord { StationId = id, Weekday = weekday, Part = 1, StartMinute = 450, EndMinute = 690, Capacity = 30 });
            }

            await db.SaveChangesAsync();
        });
        return id;
    }

    [Fact]
    public async Task RollForward_RunTwice_MakesEachDayOnce_ThenTheNewlyOpenedDayAfterRelease()
    {
        // Monday 2026-11-30, 07:00 in Vietnam (a week without holidays: 24 November, Culture Day, is one); release at 08:00,
        // window 5: open through Friday 4 December (Saturday the 5th opens at 08:00 today), rows through Saturday the 5th.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero));
        var station = await BareStationAsync(window: 5, releaseMinute: 8 * 60);

        var first = await Job(clock).RunAsync(CancellationToken.None);
        var second = await Job(clock).RunAsync(CancellationToken.None);
        var rows = await World.SessionsAsync(station);

        Assert.Equal(6, first);
        Assert.Equal(0, second);
        Assert.Equal(new DateOnly(2026, 12, 5), rows.Max(r => r.Date));
        Assert.Equal(rows.Count, rows.Select(r => (r.Date, r.Part)).Distinct().Count());
        Assert.Equal(BookingWindow.OpensAt(new DateOnly(2026, 12, 5), 5, 480), rows[^1].OpensAt);
        Assert.True(rows[^1].OpensAt > clock.GetUtcNow());

        clock.Advance(TimeSpan.FromHours(1)); // 08:00: Saturday the 5th opens; Sunday the 6th's rows are made
        Assert.Equal(1, await Job(clock).RunAsync(CancellationToken.None));
        Assert.Equal(new DateOnly(2026, 12, 6), (await World.SessionsAsync(station)).Max(r => r.Date));
    }

    [Fact]
    public async Task RollForward_AfterDowntime_CatchesUpEveryMissedDayOnce()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero));
        var station = await BareStationAsync(window: 3, releaseMinute: 0);
        await Job(clock).RunAsync(CancellationToken.None);

        clock.Advance(TimeSpan.FromDays(4)); // four releases missed
        var caughtUp = await Job(clock).RunAsync(CancellationToken.None);

        var rows = await World.SessionsAsync(station);
        Assert.Equal(4, caughtUp);
        Assert.Equal(new DateOnly(2026, 12, 4 + 3 + 1), rows.Max(r => r.Date));
        Assert.Equal(rows.Count, rows.Select(r => (r.Date, r.Part)).Distinct().Count());
    }

    [Fact]
    public async Task RollForward_TwoRunsAtOnce_NeitherFailsNorDuplicates()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero));
        var stations = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            stations.Add(await BareStationAsync(window: 20, releaseMinute: 0));
        }

        var counts = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => Job(clock).RunAsync(CancellationToken.None))));

        foreach (var station in stations)
        {
            var rows = await World.SessionsAsync(station);
            Assert.Equal(22, rows.Count); // today through the last open day (+20) and the next
            Assert.Equal(rows.Count, rows.Select(r => (r.Date, r.Part)).Distinct().Count());
        }

        Assert.True(counts.Sum() >= stations.Count * 22, $"rows made: {string.Join(", ", counts)}");
    }

    [Fact]
    public async Task RollForwardJob_Registered_FiresOnTheConfiguredIntervalAndCatchesUpOnce()
    {
        var scheduler = await _server.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();

        var trigger = Assert.IsAssignableFrom<ISimpleTrigger>(Assert.Single(await scheduler.GetTriggersOfJob(StationRollForwardJob.Key)));

        Assert.Equal(TimeSpan.FromMinutes(3), trigger.RepeatInterval);
        Assert.Equal(SimpleTriggerMisfireInstruction.FireNow, trigger.MisfireInstruction);
        Assert.True(Attribute.IsDefined(typeof(StationRollForwardJob), typeof(DisallowConcurrentExecutionAttribute)));
    }
}

public sealed class StationRollForwardOnSqliteTests : StationRollForwardTests
{
    protected override Task<InProcessServer> StartServerAsync()
        => InProcessServer.StartAsync(null, "--Dvc:Population:DemoCitizens=0", "--Dvc:Appointments:RollForward:Interval=00:03:00");
}

[Collection(PostgresCollection.Name)]
public sealed class StationRollForwardOnPostgresTests(PostgresCluster cluster) : StationRollForwardTests
{
    protected override async Task<InProcessServer> StartServerAsync()
        => await InProcessServer.StartAsync(await cluster.CreateDatabaseAsync(), "--Dvc:Appointments:RollForward:Interval=00:03:00");
}
