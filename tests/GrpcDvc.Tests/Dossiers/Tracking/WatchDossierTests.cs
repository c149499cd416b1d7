using Grpc.Core;
using GrpcDvc.Client;
using GrpcDvc.Contracts.Dossiers.V1;
using IDossierChanges = GrpcDvc.Server.Dossiers.IDossierChanges;
using GrpcDvc.Server.Population.DataAccessLog;
using GrpcDvc.Tests.Population;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static GrpcDvc.Tests.Dossiers.Tracking.TrackingServer;
using ServerAction = GrpcDvc.Server.Dossiers.DossierAction;
using ServerStatus = GrpcDvc.Server.Dossiers.DossierStatus;

namespace GrpcDvc.Tests.Dossiers.Tracking;

/// <summary>
/// WatchDossier through the real server: the first message, each change in order, the end at a final
/// status; woken by the in-process announcement (with a reread interval far longer than the test) and,
/// on a second server, by the periodic reread alone (nothing announced, as when another instance changes it).
/// </summary>
public abstract class WatchDossierTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private TrackingServer _server = null!;

    public async Task InitializeAsync()
        => _server = await StartAsync(await PostgresAsync(), "--Dvc:Dossiers:Tracking:WatchRereadInterval=01:00:00", "--Dvc:Dossiers:Tracking:MaxWatchesPerCaller=2");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    protected abstract Task<string?> PostgresAsync();

    [Fact]
    public async Task WatchDossier_SeesEachAnnouncedChangeInOrder_AndEndsAfterTheFinalStatus()
    {
        var row = await _server.AddForCitizenAAsync();
        using var cancel = new CancellationTokenSource(Patience);
        using var watch = _server.Dossiers.WatchDossier(new WatchDossierRequest { Code = row.Code }, As(CitizenA, cancel.Token));
        var stream = watch.ResponseStream;

        Assert.True(await stream.MoveNext(cancel.Token));
        Assert.Null(stream.Current.Event);
        Assert.Equal(DossierStatus.Submitted, stream.Current.Dossier.Status);

        await ChangeAndAnnounceAsync(row.Code, ServerAction.Receive, ServerStatus.Received);
        Assert.True(await stream.MoveNext(cancel.Token));
        Assert.Equal((2L, DossierStatus.Received), (stream.Current.Event!.Sequence, stream.Current.Dossier.Status));

        // Two changes before the watcher wakes: both come, in order, none folded away.
        await _server.Rows.ChangeAsync(row.Code, ServerAction.StartProcessing, ServerStatus.Processing);
        await _server.Rows.ChangeAsync(row.Code, ServerAction.Approve, ServerStatus.Approved);
        _server.Services.GetRequiredService<IDossierChanges>().Changed(row.Code);
        _server.Services.GetRequiredService<IDossierChanges>().Changed(row.Code);
        Assert.True(await stream.MoveNext(cancel.Token));
        Assert.Equal((3L, DossierAction.StartProcessing), (stream.Current.Event.Sequence, stream.Current.Event.Action));
        Assert.True(await stream.MoveNext(cancel.Token));
        Assert.Equal((4L, DossierAction.Approve), (stream.Current.Event.Sequence, stream.Current.Event.Action));

        await ChangeAndAnnounceAsync(row.Code, ServerAction.IssueResult, ServerStatus.ResultIssued);
        await ChangeAndAnnounceAsync(row.Code, ServerAction.ReturnResult, ServerStatus.ResultReturned);
        Assert.True(await stream.MoveNext(cancel.Token));
        Assert.Equal(5L, stream.Current.Event.Sequence);
        Assert.True(await stream.MoveNext(cancel.Token));
        Assert.Equal((6L, DossierStatus.ResultReturned), (stream.Current.Event.Sequence, stream.Current.Dossier.Status));

        Assert.False(await stream.MoveNext(cancel.Token));
        Assert.Equal(StatusCode.OK, watch.GetStatus().StatusCode);
        await AssertNoSubscriberLeftAsync();
    }

    [Fact]
    public async Task WatchDossier_ByAnOfficial_IsLoggedOnceAtTheStart_AndRefusedOutsideTheUnit()
    {
        var row = await _server.AddForCitizenAAsync();
        using var cancel = new CancellationTokenSource(Patience);
        using (var watch = _server.Dossiers.WatchDossier(new WatchDossierRequest { Code = row.Code }, As(RegistryServer.OfficerA, cancel.Token)))
        {
            Assert.True(await watch.ResponseStream.MoveNext(cancel.Token));
            await ChangeAndAnnounceAsync(row.Code, ServerAction.Receive, ServerStatus.Received);
            Assert.True(await watch.ResponseStream.MoveNext(cancel.Token));
        }

        using var outside = _server.Dossiers.WatchDossier(new WatchDossierRequest { Code = row.Code }, As(RegistryServer.OfficerB, cancel.Token));
        var refused = await Assert.ThrowsAsync<RpcException>(() => outside.ResponseStream.MoveNext(cancel.Token));

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        var entries = await _server.Registry.WithDbAsync(db => db.Set<DataAccessRecord>().AsNoTracking().Where(a => a.Reference == row.Code).ToListAsync());
        Assert.Equal("/dvc.dossiers.v1.DossierService/WatchDossier", Assert.Single(entries).Rpc);
    }

    [Fact]
    public async Task WatchDossier_BeyondTheCallersLimit_IsResourceExhausted_UntilAWatchEnds()
    {
        var rows = new[] { await _server.AddForCitizenAAsync(), await _server.AddForCitizenAAsync(), await _server.AddForCitizenAAsync() };
        using var cancel = new CancellationTokenSource(Patience);
        using var first = CancellationTokenSource.CreateLinkedTokenSource(cancel.Token);
        var one = _server.Dossiers.WatchDossier(new WatchDossierRequest { Code = rows[0].Code }, As(CitizenA, first.Token));
        using var two = _server.Dossiers.WatchDossier(new WatchDossierRequest { Code = rows[1].Code }, As(CitizenA, cancel.Token));
        Assert.True(await one.ResponseStream.MoveNext(cancel.Token));
        Assert.True(await two.ResponseStream.MoveNext(cancel.Token));

        using var three = _server.Dossiers.WatchDossier(new WatchDossierRequest { Code = rows[2].Code }, As(CitizenA, cancel.Token));
        var refused = await Assert.ThrowsAsync<RpcException>(() => three.ResponseStream.MoveNext(cancel.Token));
        using var otherCitizen = _server.Dossiers.WatchDossier(new WatchDossierRequest { Code = rows[2].Code }, As(RegistryServer.OfficerA, cancel.Token));
        Assert.True(await otherCitizen.ResponseStream.MoveNext(cancel.Token));

        await first.CancelAsync();
        one.Dispose();
        await WaitUntilAsync(() => _server.Feed.Subscribers == 2);
        using var again = _server.Dossiers.WatchDossier(new WatchDossierRequest { Code = rows[2].Code }, As(CitizenA, cancel.Token));

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Equal("WATCH_LIMIT", refused.GetErrorInfo()?.Reason);
        Assert.True(await again.ResponseStream.MoveNext(cancel.Token));
    }

    [Fact]
    public async Task WatchDossier_OfAClosedDossier_SendsItOnceAndEnds()
    {
        var row = await _server.AddForCitizenAAsync();
        await _server.Rows.ChangeAsync(row.Code, ServerAction.Withdraw, ServerStatus.Withdrawn);
        using var cancel = new CancellationTokenSource(Patience);
        using var watch = _server.Dossiers.WatchDossier(new WatchDossierRequest { Code = row.Code }, As(CitizenA, cancel.Token));

        Assert.True(await watch.ResponseStream.MoveNext(cancel.Token));
        Assert.Equal(DossierStatus.Withdrawn, watch.ResponseStream.Current.Dossier.Status);
        Assert.False(await watch.ResponseStream.MoveNext(cancel.Token));
    }

    [Fact]
    public async Task WatchDossier_WithoutAnyAnnouncement_SeesTheChangeByItsPeriodicReread()
    {
        await using var rereading = await StartAsync(await PostgresAsync(), "--Dvc:Dossiers:Tracking:WatchRereadInterval=00:00:00.200");
        var row = await rereading.AddForCitizenAAsync();
        using var cancel = new CancellationTokenSource(Patience);
        using var watch = rereading.Dossiers.WatchDossier(new WatchDossierRequest { Code = row.Code }, As(CitizenA, cancel.Token));
        Assert.True(await watch.ResponseStream.MoveNext(cancel.Token));

        // Changed as another instance would: committed to the database, announced nowhere here.
        await rereading.Rows.ChangeAsync(row.Code, ServerAction.Receive, ServerStatus.Received);

        Assert.True(await watch.ResponseStream.MoveNext(cancel.Token));
        Assert.Equal((2L, DossierStatus.Received), (watch.ResponseStream.Current.Event.Sequence, watch.ResponseStream.Current.Dossier.Status));
    }

    private async Task ChangeAndAnnounceAsync(string code, ServerAction action, ServerStatus to)
    {
        await _server.Rows.ChangeAsync(code, action, to);
        _server.Services.GetRequiredService<IDossierChanges>().Changed(code);
    }

    private async Task AssertNoSubscriberLeftAsync()
    {
        await WaitUntilAsync(() => _server.Feed.Subscribers == 0 && _server.Feed.Codes == 0);
        Assert.Equal(0, _server.Feed.Subscribers);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(50);
        }
    }
}

public sealed class WatchDossierOnSqliteTests : WatchDossierTests
{
    protected override Task<string?> PostgresAsync() => Task.FromResult<string?>(null);
}

[Collection(PostgresCollection.Name)]
public sealed class WatchDossierOnPostgresTests(PostgresCluster cluster) : WatchDossierTests
{
    protected override async Task<string?> PostgresAsync() => await cluster.CreateDatabaseAsync();
}
