using Grpc.Core;
using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Tests.Appointments.Stations;

/// <summary>
/// A station change the database refuses for a reason of its own (not a race) is not answered "try again":
/// nothing of it is kept, and once the database takes writes again the same request id makes the change.
/// </summary>
public sealed class StationChangeFailureTests : IAsyncLifetime
{
    private InProcessServer _server = null!;

    private StationWorld World { get; set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await InProcessServer.StartAsync(null, "--Dvc:Population:DemoCitizens=0", "--Dvc:Access:UnitReloadInterval=00:00:00");
        World = new StationWorld(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task SetDayOverride_WhenItsRowCannotBeWritten_IsNotAbortedAsARace_KeepsNothing_AndTheSameRequestSucceedsLater()
    {
        var manager = await World.ManagerAsync();
        var station = await World.StationAsync(await World.CommuneAsync(), manager);
        var day = await World.BookableDayAsync(station.StationId);
        var request = new SetDayOverrideRequest
        {
            RequestId = StationWorld.NewId(), StationId = station.StationId,
            Override = new DayOverride { Date = StationWorld.Proto(day), Kind = OverrideKind.Closed, Reason = "mất điện" },
        };
        await World.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(
            "CREATE TRIGGER overrides_down BEFORE INSERT ON station_overrides BEGIN SELECT RAISE(ABORT, 'disk full'); END;"));

        var failed = await Assert.ThrowsAsync<RpcException>(() => World.Client.SetDayOverrideAsync(request, manager).ResponseAsync);

        Assert.NotEqual(StatusCode.Aborted, failed.StatusCode);
        Assert.All(await World.SessionsAsync(station.StationId), s => Assert.False(s.Closed));
        await World.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("DROP TRIGGER overrides_down;"));
        var answer = await World.Client.SetDayOverrideAsync(request, manager);
        Assert.All(answer.Sessions, s => Assert.True(s.Closed));
    }
}
