using System.Data.Common;
using GrpcDvc.Server.Catalog;
using GrpcDvc.Server.Storage;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Storage;

/// <summary>
/// Two instances started at the same moment on one fresh database (as a deployment rolls out two
/// replicas): both come up, the schema is migrated once and nothing is seeded twice. Per provider.
/// </summary>
public abstract class ConcurrentStartTests
{
    // Every migration the server carries, so a new one needs no change here.
    private static readonly int Migrations = typeof(DatabaseMigrator).Assembly.GetTypes()
        .Count(t => t.GetCustomAttributes(typeof(FluentMigrator.MigrationAttribute), inherit: false).Length > 0);

    /// <summary>Arguments pointing both instances at the same fresh database.</summary>
    protected abstract Task<(string? Postgres, string[] Args)> FreshDatabaseAsync();

    [Fact]
    public async Task TwoInstances_StartingTogetherOnAFreshDatabase_BothComeUpAndMigrateAndSeedOnce()
    {
        var (postgres, args) = await FreshDatabaseAsync();
        string[] bootstrap = ["--Dvc:Identity:Bootstrap:Username=admin", "--Dvc:Identity:Bootstrap:Password=quan-tri-vien-2026", .. args];

        // Both start on thread-pool threads at once; neither waits for the other to be up.
        var starts = Enumerable.Range(0, 2).Select(_ => Task.Run(() => InProcessServer.StartAsync(postgres, bootstrap))).ToArray();
        var started = await Task.WhenAll(starts.Select(async s =>
        {
            try
            {
                return await s;
            }
            catch (Exception e)
            {
                return (object)e;
            }
        }));
        try
        {
            Assert.All(started, s => Assert.IsType<InProcessServer>(s));
            var server = (InProcessServer)started[0];
            Assert.True(Migrations >= 6, $"{Migrations} migrations found");
            Assert.Equal((Migrations, Migrations), (await CountAsync(server, """SELECT COUNT(*) FROM "VersionInfo" """), await CountAsync(server, """SELECT COUNT(DISTINCT "Version") FROM "VersionInfo" """)));
            Assert.Equal(1, await CountAsync(server, "SELECT COUNT(*) FROM official_accounts WHERE username = 'admin'"));
            Assert.Equal(CatalogData.Load(CatalogSeeder.DefaultDataPath).Procedures.Count, await CountAsync(server, "SELECT COUNT(*) FROM procedures"));
            var officials = await CountAsync(server, "SELECT COUNT(*) FROM official_accounts");
            Assert.True(officials > 1, "the demo officials were not seeded");
            Assert.Equal(officials, await CountAsync(server, "SELECT COUNT(DISTINCT username) FROM official_accounts"));
        }
        finally
        {
            foreach (var server in started.OfType<InProcessServer>())
            {
                await server.DisposeAsync();
            }
        }
    }

    private static async Task<long> CountAsync(InProcessServer server, string sql)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var connection = scope.ServiceProvider.GetRequiredService<DvcDbContext>().Database.GetDbConnection();
        await connection.OpenAsync();
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

public sealed class ConcurrentStartOnSqliteTests : ConcurrentStartTests, IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), $"grpcdvc-shared-{Guid.NewGuid():N}");

    protected override Task<(string? Postgres, string[] Args)> FreshDatabaseAsync()
        => Task.FromResult<(string?, string[])>((null, [$"--Dvc:DataDir={_dataDir}"]));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }
}

[Collection(PostgresCollection.Name)]
public sealed class ConcurrentStartOnPostgresTests(PostgresCluster cluster) : ConcurrentStartTests
{
    protected override async Task<(string? Postgres, string[] Args)> FreshDatabaseAsync() => (await cluster.CreateDatabaseAsync(), []);
}
