using FluentMigrator.Runner;
using Microsoft.Data.Sqlite;

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
        if (target.Provider == DatabaseProvider.Sqlite)
        {
            UseWriteAheadLog(target.ConnectionString);
        }

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

    /// <summary>
    /// SQLite's write-ahead log, kept in the database file once set. In the default rollback journal a
    /// commit needs every reader gone, and a statement that commits as it finishes (an INSERT with
    /// RETURNING, which EF Core sends) then fails as "database is locked" with no retry: concurrent
    /// sign-ins ended UNKNOWN that way. With the log, readers never block a commit and writers queue
    /// for one another within the busy timeout. synchronous stays FULL: every commit is on disk.
    /// </summary>
    private static void UseWriteAheadLog(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        var mode = command.ExecuteScalar() as string;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase) && !IsInMemory(connectionString))
        {
            throw new InvalidOperationException($"SQLite refused the write-ahead log (journal mode {mode}).");
        }
    }

    private static bool IsInMemory(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        return builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:";
    }
}
