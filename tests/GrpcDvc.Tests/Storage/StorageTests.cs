using GrpcDvc.Server.Catalog;
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
}

[Collection(PostgresCollection.Name)]
public sealed class StorageOnPostgresTests(PostgresCluster cluster) : StorageTests
{
    protected override async Task<InProcessServer> StartServerAsync()
        => await InProcessServer.StartAsync(await cluster.CreateDatabaseAsync());
}
