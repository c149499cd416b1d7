using GrpcDvc.Server.Access;
using GrpcDvc.Server.Population;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Storage;
using GrpcDvc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Access;

/// <summary>Agency scope as the server registers it, over the administrative_units table.</summary>
public sealed class AgencyScopeStorageTests
{
    [Fact]
    public async Task UnitAddedAfterTheHierarchyWasCached_IsFoundOnTheNextReread()
    {
        await using var server = await InProcessServer.StartAsync(null, "--Dvc:Access:UnitReloadInterval=00:00:00");
        await SeedAsync(server, AdministrativeUnitData.Load(AdministrativeUnitData.DefaultPath).ToRows());
        var scope = server.Services.GetRequiredService<IAgencyScope>();

        var before = await scope.CoversAsync("P34-04", ["LATE-X1"], CancellationToken.None);
        await SeedAsync(server, [new AdministrativeUnitRow { Id = 991_001, Code = "LATE-X1", Level = AdministrativeLevel.Commune, Name = "LATE-X1", FoldedName = "LATE-X1", ParentId = 2004, IsSynthetic = true }]);
        var after = await scope.CoversAsync("P34-04", ["LATE-X1"], CancellationToken.None);

        Assert.False(before);
        Assert.True(after);
        Assert.False(await scope.CoversAsync("P34-01", ["LATE-X1"], CancellationToken.None));
    }

    private static async Task SeedAsync(InProcessServer server, IEnumerable<AdministrativeUnitRow> rows)
    {
        await using var services = server.Services.CreateAsyncScope();
        await AdministrativeUnitSeeder.SeedAsync(services.ServiceProvider.GetRequiredService<DvcDbContext>(), rows, CancellationToken.None);
    }
}
