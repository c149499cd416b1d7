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

    [Fact]
    public async Task UnitMovedUnderAnotherParent_CountsOnceTheCachedHierarchyIsOlderThanItsMaxAge()
    {
        var time = new FakeTimeProvider();
        await using var server = await InProcessServer.StartWithServicesAsync(
            services => services.AddSingleton<TimeProvider>(time), null, "--Dvc:Access:UnitMaxAge=00:10:00", "--Dvc:Access:UnitReloadInterval=00:00:00");
        await SeedAsync(server, AdministrativeUnitData.Load(AdministrativeUnitData.DefaultPath).ToRows());
        await SeedAsync(server, [new AdministrativeUnitRow { Id = 991_002, Code = "MOVE-X1", Level = AdministrativeLevel.Commune, Name = "MOVE-X1", FoldedName = "MOVE-X1", ParentId = 2004, IsSynthetic = true }]);
        var scope = server.Services.GetRequiredService<IAgencyScope>();
        Assert.True(await scope.CoversAsync("P34-04", ["MOVE-X1"], CancellationToken.None));

        // The commune passes to another district: every code stays known, only the tree changes.
        await using (var services = server.Services.CreateAsyncScope())
        {
            var db = services.ServiceProvider.GetRequiredService<DvcDbContext>();
            (await db.Set<AdministrativeUnitRow>().FindAsync(991_002))!.ParentId = 2001;
            await db.SaveChangesAsync();
        }

        time.Advance(TimeSpan.FromMinutes(9));
        var withinMaxAge = await scope.CoversAsync("P34-04", ["MOVE-X1"], CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(2));

        Assert.True(withinMaxAge);
        Assert.False(await scope.CoversAsync("P34-04", ["MOVE-X1"], CancellationToken.None));
        Assert.True(await scope.CoversAsync("P34-01", ["MOVE-X1"], CancellationToken.None));
    }

    private static async Task SeedAsync(InProcessServer server, IEnumerable<AdministrativeUnitRow> rows)
    {
        await using var services = server.Services.CreateAsyncScope();
        await AdministrativeUnitSeeder.SeedAsync(services.ServiceProvider.GetRequiredService<DvcDbContext>(), rows, CancellationToken.None);
    }
}
