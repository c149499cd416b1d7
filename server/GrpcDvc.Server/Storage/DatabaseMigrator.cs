using FluentMigrator.Runner;

namespace GrpcDvc.Server.Storage;

/// <summary>
/// Applies the versioned migrations (FluentMigrator: one provider-neutral set) at start-up.
/// Applied versions are recorded in VersionInfo, and the run holds the <see cref="DatabaseLock"/>, so
/// instances starting together on one database migrate it once, one after the other.
/// </summary>
public static class DatabaseMigrator
{
    /// <summary>Migrates under the database lock, which it takes unless the caller holds it already (<paramref name="held"/>).</summary>
    public static void MigrateUp(DatabaseTarget target, DatabaseLock? held = null)
    {
        if (held is null)
        {
            using var taken = DatabaseLock.AcquireAsync(target).GetAwaiter().GetResult();
            Run(target);
        }
        else
        {
            Run(target);
        }
    }

    private static void Run(DatabaseTarget target)
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
