using GrpcDvc.Server.Dossiers;
using GrpcDvc.Server.Dossiers.History;
using GrpcDvc.Server.Dossiers.Processing;
using GrpcDvc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Quartz;

namespace GrpcDvc.Tests.Dossiers.Processing;

/// <summary>The overdue sweep, run by calling the job directly against a real database; once per provider.</summary>
public abstract class OverdueSweepTests : IAsyncLifetime
{
    private InProcessServer _server = null!;

    private ProcessingWorld World { get; set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await StartServerAsync();
        World = new ProcessingWorld(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    protected abstract Task<InProcessServer> StartServerAsync();

    private OverdueSweepJob Job() => new(
        _server.Services.GetRequiredService<IServiceScopeFactory>(), new OverdueSweepOptions { BatchSize = 3 }, TimeProvider.System, NullLogger<OverdueSweepJob>.Instance);

    [Fact]
    public async Task Sweep_UnfinishedDossiersPastDue_AreFlaggedOnceEach_WithASystemEvent()
    {
        var commune = await World.CommuneAsync();
        var past = DateTimeOffset.UtcNow.AddHours(-2);
        var late = new List<DossierRecord>();
        foreach (var status in new[] { DossierStatus.Submitted, DossierStatus.Received, DossierStatus.Processing, DossierStatus.Approved })
        {
            late.Add(await World.DossierAsync(commune, Guid.NewGuid(), "001090000020", status, dueAt: past));
        }

        var notLate = new[]
        {
            await World.DossierAsync(commune, Guid.NewGuid(), "001090000021", DossierStatus.SupplementRequested, dueAt: past, resumeStatus: DossierStatus.Processing),
            await World.DossierAsync(commune, Guid.NewGuid(), "001090000021", DossierStatus.ResultIssued, dueAt: past),
            await World.DossierAsync(commune, Guid.NewGuid(), "001090000021", DossierStatus.Rejected, dueAt: past),
            await World.DossierAsync(commune, Guid.NewGuid(), "001090000021", DossierStatus.Processing, dueAt: DateTimeOffset.UtcNow.AddDays(1)),
            await World.DossierAsync(commune, Guid.NewGuid(), "001090000021", DossierStatus.Processing),
        };

        var flagged = await Job().RunAsync(CancellationToken.None);
        var again = await Job().RunAsync(CancellationToken.None);

        Assert.Equal((late.Count, 0), (flagged, again));
        foreach (var dossier in late)
        {
            var row = await World.ReadDossierAsync(dossier.Code);
            var events = await World.EventsAsync(dossier.Id);
            Assert.NotNull(row.OverdueAt);
            Assert.Equal((2L, dossier.Status), (row.Version, row.Status));
            var flag = events[^1];
            Assert.Equal(("mark_overdue", dossier.Status, dossier.Status, null, OverdueSweepJob.SystemName, "system"),
                (flag.Action, flag.FromStatus, flag.ToStatus, flag.ActorId, flag.ActorName, flag.ActorRole));
            Assert.True(HistoryChain.Verify(row, events).Intact);
        }

        foreach (var dossier in notLate)
        {
            Assert.Null((await World.ReadDossierAsync(dossier.Code)).OverdueAt);
            Assert.Single(await World.EventsAsync(dossier.Id));
        }
    }

    [Fact]
    public async Task Sweeps_RunningAtOnce_FlagEachDossierOnce()
    {
        var commune = await World.CommuneAsync();
        var dossiers = new List<DossierRecord>();
        for (var i = 0; i < 12; i++)
        {
            dossiers.Add(await World.DossierAsync(commune, Guid.NewGuid(), "001090000022", DossierStatus.Received, dueAt: DateTimeOffset.UtcNow.AddMinutes(-5)));
        }

        var counts = await Task.WhenAll(Task.Run(() => Job().RunAsync(CancellationToken.None)), Task.Run(() => Job().RunAsync(CancellationToken.None)));

        Assert.Equal(dossiers.Count, counts.Sum());
        foreach (var dossier in dossiers)
        {
            Assert.Single(await World.EventsAsync(dossier.Id), e => e.Action == "mark_overdue");
        }
    }

    [Fact]
    public async Task SweepJob_Registered_RunsEveryConfiguredInterval()
    {
        var scheduler = await _server.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();

        var trigger = Assert.Single(await scheduler.GetTriggersOfJob(OverdueSweepJob.Key));

        Assert.Equal(TimeSpan.FromMinutes(2), Assert.IsAssignableFrom<ISimpleTrigger>(trigger).RepeatInterval);
    }
}

public sealed class OverdueSweepOnSqliteTests : OverdueSweepTests
{
    protected override Task<InProcessServer> StartServerAsync()
        => InProcessServer.StartAsync(null, "--Dvc:Population:DemoCitizens=0", "--Dvc:Dossiers:OverdueSweep:Interval=00:02:00");
}

[Collection(PostgresCollection.Name)]
public sealed class OverdueSweepOnPostgresTests(PostgresCluster cluster) : OverdueSweepTests
{
    protected override async Task<InProcessServer> StartServerAsync()
        => await InProcessServer.StartAsync(await cluster.CreateDatabaseAsync(), "--Dvc:Dossiers:OverdueSweep:Interval=00:02:00");
}
