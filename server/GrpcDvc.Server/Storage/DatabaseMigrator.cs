using FluentMigrator.Runner;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Server.Storage;

/// <summary>
/// Applies the versioned migrations (FluentMigrator: one provider-neutral set) at start-up.
/// Safe to run from several instances in turn: applied versions are recorded in VersionInfo.
/// </summary>
public static class DatabaseMigrator
{
    public static void MigrateUp(DatabaseTarget target)
    {
        var services = new ServiceCollection()
            .AddFluentMigratorCore()
            .ConfigureRunner(runner =>
            {
                _ = target.Provider switch
                {
                    DatabaseProvider.Sqlite => runner.AddSQLite(),
                    DatabaseProvider.Postgres => runner.AddPostgres(),
                    _ => throw new InvalidOperationException($"No migrations for {target.Provider}."),
                };
                runner.WithGlobalConnectionString(target.ConnectionString)
                    .ScanIn(typeof(DatabaseMigrator).Assembly).For.Migrations();
            });
        using var provider = services.BuildServiceProvider(validateScopes: false);
        using var scope = provider.CreateScope();
        scope.ServiceProvider.GetRequiredService<IMigrationRunner>().MigrateUp();
    }
}
