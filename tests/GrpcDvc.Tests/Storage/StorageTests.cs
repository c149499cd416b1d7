using GrpcDvc.Server.Catalog;
using GrpcDvc.Server.Jobs;
using GrpcDvc.Server.Storage;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Storage;

/// <summary>The migrations build the schema the EF model expects, and start-up is repeatable; run per provider.</summary>
public abstract class StorageTests : IAsyncLifetime
{
    protected InProcessServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await StartServerAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    protected abstract Task<InProcessServer> StartServerAsync();

    [Fact]
    public async Task MigratedSchema_HasEveryTableAndColumnOfTheModel()
    {
        await using var scope = Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
        var checkedColumns = 0;
        foreach (var entity in db.Model.GetEntityTypes())
        {
            var table = entity.GetTableName()!;
            var columns = entity.GetProperties().Select(p => p.GetColumnName()).ToList();
            // Selecting every mapped column fails if the migrations left one out or misnamed it.
            var sql = $"SELECT {string.Join(", ", columns.Select(c => $"\"{c}\""))} FROM \"{table}\" WHERE 1 = 0";
            await db.Database.ExecuteSqlRawAsync(sql);
            checkedColumns += columns.Count;
        }

        Assert.True(checkedColumns >= 19, $"only {checkedColumns} columns checked");
    }

    [Fact]
    public async Task ModelNames_AreExactlyTheMigratedTablesAndColumns()
    {
        await using var scope = Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
        var schema = await MigratedColumnsAsync(db);
        var model = db.Model.GetEntityTypes()
            .GroupBy(e => e.GetTableName()!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.SelectMany(e => e.GetProperties().Select(p => p.GetColumnName())).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);

        // Every column of every mapped table, both ways: the naming convention neither renames a
        // mapped column nor leaves one of the migrations' columns unmapped.
        foreach (var (table, columns) in model)
        {
            Assert.True(schema.TryGetValue(table, out var migrated), $"table {table} is mapped but not migrated");
            Assert.Equal(migrated.Order(StringComparer.Ordinal), columns.Order(StringComparer.Ordinal));
        }

        // The migrations' tables the model does not map, named so a new one is a decision; Quartz's own store
        // (M0170) is Quartz's to read and write, never EF's, and is left out by its prefix alone.
        Assert.Equal(db.Database.IsNpgsql() ? UnmappedTables : [.. UnmappedTables, .. SqliteNameSearchTables],
            schema.Keys.Except(model.Keys).Where(t => !QuartzSchema.IsQuartzTable(t)).Order(StringComparer.Ordinal));
    }

    /// <summary>FluentMigrator's version table: the only migrated table EF does not map on both providers.</summary>
    private static readonly string[] UnmappedTables = ["VersionInfo"];

    /// <summary>SQLite's name-search index (M0080): the FTS5 table and the shadow tables FTS5 keeps its index in.</summary>
    private static readonly string[] SqliteNameSearchTables =
        ["citizen_names", "citizen_names_config", "citizen_names_data", "citizen_names_docsize", "citizen_names_idx"];

    private static async Task<Dictionary<string, HashSet<string>>> MigratedColumnsAsync(DvcDbContext db)
    {
        var sql = db.Database.IsNpgsql()
            ? "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()"
            : "SELECT m.name, c.name FROM sqlite_master m JOIN pragma_table_info(m.name) c WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'";
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync();
            var tables = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            while (await reader.ReadAsync())
            {
                var table = reader.GetString(0);
                if (!tables.TryGetValue(table, out var columns))
                {
                    tables[table] = columns = new HashSet<string>(StringComparer.Ordinal);
                }

                columns.Add(reader.GetString(1));
            }

            return tables;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    [Fact]
    public async Task Migrations_RunAgain_ChangeNothing()
    {
        var target = Server.Services.GetRequiredService<DatabaseTarget>();
        DatabaseMigrator.MigrateUp(target);
        await using var scope = Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
        Assert.Equal(35, await db.Procedures().CountAsync());
    }

    [Fact]
    public async Task Seeding_Again_AddsNothing_AndKeepsEdits()
    {
        await using var scope = Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
        var edited = await db.Procedures().SingleAsync(p => p.Code == "BCA-L4-12");
        edited.NameEn = "Edited by an administrator";
        await db.SaveChangesAsync();

        var added = await CatalogSeeder.SeedAsync(db, CatalogData.Load(CatalogSeeder.DefaultDataPath), CancellationToken.None);

        Assert.Equal(0, added);
        Assert.Equal(35, await db.Procedures().CountAsync());
        Assert.Equal("Edited by an administrator", (await db.Procedures().AsNoTracking().SingleAsync(p => p.Code == "BCA-L4-12")).NameEn);
    }
}

public sealed class StorageOnSqliteTests : StorageTests
{
    protected override Task<InProcessServer> StartServerAsync() => InProcessServer.StartAsync();

    /// <summary>In the rollback journal, a reader made a concurrent INSERT ... RETURNING fail as "database is locked".</summary>
    [Fact]
    public async Task SqliteDatabase_RunsInWriteAheadLogMode()
    {
        await using var scope = Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
        var mode = await db.Database.SqlQueryRaw<string>("SELECT journal_mode AS \"Value\" FROM pragma_journal_mode").SingleAsync();

        Assert.Equal("wal", mode);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class StorageOnPostgresTests(PostgresCluster cluster) : StorageTests
{
    protected override async Task<InProcessServer> StartServerAsync()
        => await InProcessServer.StartAsync(await cluster.CreateDatabaseAsync());
}
