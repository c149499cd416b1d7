using GrpcDvc.Server.Population.Generation;
using GrpcDvc.Server.Storage;

namespace GrpcDvc.Server.Population.Loading;

/// <summary>
/// Population data at start-up: the administrative units (real provinces and the synthetic
/// districts and communes addresses point to), then, on a fresh embedded install, a small demo
/// population, so the registry answers something out of the box. Both steps are no-ops the second time.
/// </summary>
public static class PopulationStartup
{
    public const int DefaultDemoCitizens = 2_000;

    /// <summary>The demo population's reference day: fixed, so every install has the same people with the same ages.</summary>
    public static readonly DateOnly DemoAsOf = PopulationGeneratorOptions.DefaultAsOf;

    public static async Task<int> SeedUnitsAsync(DvcDbContext db, CancellationToken cancellationToken)
    {
        var data = AdministrativeUnitData.Load(AdministrativeUnitData.DefaultPath);
        return await AdministrativeUnitSeeder.SeedAsync(db, data.ToRows().Concat(SyntheticUnits.Rows(data)), cancellationToken);
    }

    /// <summary>Loads the demo population when configured and the registry is empty; returns how many citizens it added.</summary>
    public static async Task<int> LoadDemoAsync(DatabaseTarget database, PopulationOptions options, CancellationToken cancellationToken)
    {
        var count = options.DemoCitizens ?? (database.Provider == DatabaseProvider.Sqlite ? DefaultDemoCitizens : 0);
        if (count <= 0)
        {
            return 0;
        }

        var loader = new PopulationLoader(database, AdministrativeUnitData.Load(AdministrativeUnitData.DefaultPath));
        if ((await loader.CountAsync(cancellationToken)).Citizens > 0)
        {
            return 0;
        }

        try
        {
            var summary = await loader.LoadAsync(new PopulationLoadRequest(count, options.DemoSeed, DemoAsOf), null, cancellationToken);
            return (int)summary.Written.Citizens;
        }
        catch (PopulationAlreadyLoadedException)
        {
            // Another instance loaded it between the count and the load.
            return 0;
        }
    }
}
