using GrpcDvc.Server.Population.Loading;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Storage;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Population.Generation;

/// <summary>The embedded default starts with a small demo population, once.</summary>
public sealed class DemoPopulationTests
{
    [Fact]
    public async Task FirstStart_OnSqlite_LoadsTheDemoPopulation_AndTheSecondStartDoesNotDuplicateIt()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), $"grpcdvc-demo-{Guid.NewGuid():N}");
        try
        {
            string[] firstIdNumbers;
            await using (var first = await InProcessServer.StartAsync(null, $"--Dvc:DataDir={dataDir}"))
            {
                Assert.Equal(PopulationStartup.DefaultDemoCitizens, await CountCitizensAsync(first));
                firstIdNumbers = await IdNumbersAsync(first);
            }

            await using var second = await InProcessServer.StartAsync(null, $"--Dvc:DataDir={dataDir}");
            Assert.Equal(PopulationStartup.DefaultDemoCitizens, await CountCitizensAsync(second));
            Assert.Equal(firstIdNumbers, await IdNumbersAsync(second));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task DemoCitizensZero_StartsWithAnEmptyRegistry_ButWithTheAdministrativeUnits()
    {
        await using var server = await InProcessServer.StartAsync(null, "--Dvc:Population:DemoCitizens=0");

        Assert.Equal(0, await CountCitizensAsync(server));
        await using var scope = server.Services.CreateAsyncScope();
        var units = scope.ServiceProvider.GetRequiredService<DvcDbContext>().Set<AdministrativeUnitRow>();
        Assert.Equal(63 + 34, await units.CountAsync(u => u.Level == Server.Population.AdministrativeLevel.Province));
        Assert.Equal(3_321, await units.CountAsync(u => u.Level == Server.Population.AdministrativeLevel.Commune));
    }

    private static async Task<int> CountCitizensAsync(InProcessServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DvcDbContext>().Set<CitizenRow>().CountAsync();
    }

    private static async Task<string[]> IdNumbersAsync(InProcessServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DvcDbContext>().Set<CitizenRow>()
            .OrderBy(c => c.Id).Take(50).Select(c => c.IdNumber).ToArrayAsync();
    }
}
