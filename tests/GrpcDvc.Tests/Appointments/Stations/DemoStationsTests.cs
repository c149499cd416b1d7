using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Server.Appointments;
using GrpcDvc.Server.Appointments.Stations;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace GrpcDvc.Tests.Appointments.Stations;

/// <summary>The embedded default with its demo population: two demo stations in the demo citizen's commune.</summary>
public sealed class DemoStationsTests
{
    [Fact]
    public async Task EmbeddedDemo_FirstStart_HasAFixedAndAMobileStationInTheDemoCitizensCommune_ASecondSeedMakesNothing()
    {
        await using var server = await InProcessServer.StartAsync(null, "--Dvc:Population:DemoCitizens=200");
        var world = new StationWorld(server);

        var list = await world.Client.ListStationsAsync(new ListStationsRequest { AreaCode = DemoStations.UnitCode, ProcedureCode = "BCA-L3-05" });
        int again;
        await using (var scope = server.Services.CreateAsyncScope())
        {
            again = await DemoStations.SeedAsync(scope.ServiceProvider, NullLogger.Instance, CancellationToken.None);
        }

        Assert.Equal(0, again);
        Assert.Equal([DemoStations.MobileId, DemoStations.FixedId], list.Stations.Select(s => s.StationId)); // by code
        Assert.Equal([StationKind.Mobile, StationKind.Fixed], list.Stations.Select(s => s.Kind));
        Assert.All(list.Stations, s => Assert.Equal(["BCA-L3-01", "BCA-L3-02", "BCA-L3-03", "BCA-L3-04", "BCA-L3-05", "BCA-L3-06"], s.ProcedureCodes));
        await world.WithDbAsync(async db =>
        {
            var citizen = await db.Set<CitizenRow>().AsNoTracking().SingleAsync(c => c.IdNumber == DemoStations.DemoCitizenIdNumber);
            var communes = await db.Set<StationRecord>().AsNoTracking().Select(s => s.CommuneUnitId).ToListAsync();
            Assert.Equal([citizen.CurrentUnitId, citizen.CurrentUnitId], communes);
            var now = DateTimeOffset.UtcNow;
            Assert.True(await db.Set<StationSessionRecord>().AnyAsync(s => s.StationId == DemoStations.FixedId && s.OpensAt <= now && s.StartsAt > now),
                "the fixed demo station has open sessions to book");
        });
    }
}
