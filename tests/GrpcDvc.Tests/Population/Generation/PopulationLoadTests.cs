using System.Text.Json;
using GrpcDvc.Server.Population;
using GrpcDvc.Server.Population.Generation;
using GrpcDvc.Server.Population.Loading;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Population.Registry;
using GrpcDvc.Server.Storage;
using GrpcDvc.Server.Text;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Population.Generation;

/// <summary>The bulk loader writes exactly what the generator produced, all or nothing; run per provider.</summary>
public abstract class PopulationLoadTests : IAsyncLifetime
{
    private static readonly AdministrativeUnitData Units = AdministrativeUnitData.Load(AdministrativeUnitData.DefaultPath);
    private static readonly DateOnly AsOf = PopulationGeneratorOptions.DefaultAsOf;

    private InProcessServer _server = null!;

    private PopulationLoader Loader => new(_server.Services.GetRequiredService<DatabaseTarget>(), Units);

    public async Task InitializeAsync() => _server = await StartServerAsync("--Dvc:Population:DemoCitizens=0");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    protected abstract Task<InProcessServer> StartServerAsync(params string[] args);

    [Theory]
    [InlineData(1_500, 100_000)]
    [InlineData(1_200, 1)]
    public async Task Load_WritesWhatTheGeneratorProduced_WithAndWithoutDroppingIndexes(int count, int bulkFrom)
    {
        var expected = new PopulationGenerator(Units, new PopulationGeneratorOptions(count, 11, AsOf)).Generate().ToList();

        var summary = await Loader.LoadAsync(new PopulationLoadRequest(count, 11, AsOf) { BulkFrom = bulkFrom, HouseholdsPerChunk = 97 }, null, CancellationToken.None);

        var expectedCounts = new PopulationCounts(
            count, expected.Count, expected.Sum(h => h.Documents.Count), expected.Sum(h => h.Residences.Count));
        Assert.Equal(expectedCounts, summary.Written);
        Assert.Equal(expectedCounts, await Loader.CountAsync(CancellationToken.None));
        Assert.True(summary.DatabaseBytes > 0);

        // A citizen with a CMND, a card and a past residence elsewhere round-trips with everything attached.
        var sample = expected.SelectMany(h => h.Citizens)
            .First(c => expected.SelectMany(h => h.Documents).Count(d => d.CitizenId == c.Id) >= 2
                && expected.SelectMany(h => h.Residences).Count(r => r.CitizenId == c.Id) >= 2);
        await using var scope = _server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
        var stored = await db.Set<CitizenRow>().AsNoTracking().SingleAsync(c => c.IdNumber == sample.IdNumber);
        Assert.Equal(Json(sample), Json(stored));
        Assert.Equal(
            Json(expected.SelectMany(h => h.Documents).Where(d => d.CitizenId == sample.Id).OrderBy(d => d.Id)),
            Json(await db.Set<IdentityDocumentRow>().AsNoTracking().Where(d => d.CitizenId == sample.Id).OrderBy(d => d.Id).ToListAsync()));
        Assert.Equal(
            Json(expected.SelectMany(h => h.Residences).Where(r => r.CitizenId == sample.Id).OrderBy(r => r.Id)),
            Json(await db.Set<ResidenceRecordRow>().AsNoTracking().Where(r => r.CitizenId == sample.Id).OrderBy(r => r.Id).ToListAsync()));
        var household = expected.First(h => h.Citizens.Any(c => c.HouseholdId == h.Household.Id && c.RelationToHead != RelationToHead.Head)).Household;
        Assert.Equal(Json(household), Json(await db.Set<HouseholdRow>().AsNoTracking().SingleAsync(h => h.Id == household.Id)));
        Assert.Equal(PopulationSchema.Indexes.Count, await CountIndexesAsync(db));

        // The name-search index holds every loaded citizen, whether the load dropped and rebuilt it or kept it up row by row.
        Assert.True(await SearchIndexInPlaceAsync(db));
        var generated = expected.SelectMany(h => h.Citizens).ToList();
        foreach (var probe in new[] { sample, generated[0], generated[^1] })
        {
            var words = VietnameseText.NameWords(probe.FullName);
            var found = await scope.ServiceProvider.GetRequiredService<PopulationStore>().SearchAsync(
                new CitizenSearch(words, probe.BirthYear, null), 500, null, CitizenParts.None, CancellationToken.None);
            var matching = generated.Where(c => c.BirthYear == probe.BirthYear
                && words.All(w => VietnameseText.NameWords(c.FoldedName).Any(n => n.StartsWith(w, StringComparison.Ordinal))))
                .Select(c => c.IdNumber).Order(StringComparer.Ordinal);
            Assert.Equal(matching, found.Items.Select(c => c.IdNumber).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task SecondLoad_IsRefused_UnlessAppendOrReplace()
    {
        await Loader.LoadAsync(new PopulationLoadRequest(300, 1, AsOf), null, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<PopulationAlreadyLoadedException>(
            () => Loader.LoadAsync(new PopulationLoadRequest(300, 1, AsOf), null, CancellationToken.None));
        Assert.Equal(300, refused.Existing.Citizens);

        // Appending the same seed again must not reuse an ID number or an id.
        await Loader.LoadAsync(new PopulationLoadRequest(200, 1, AsOf, PopulationLoadMode.Append), null, CancellationToken.None);
        await using (var scope = _server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
            Assert.Equal(500, await db.Set<CitizenRow>().Select(c => c.IdNumber).Distinct().CountAsync());
        }

        await Loader.LoadAsync(new PopulationLoadRequest(100, 2, AsOf, PopulationLoadMode.Replace), null, CancellationToken.None);
        Assert.Equal(100, (await Loader.CountAsync(CancellationToken.None)).Citizens);
    }

    [Fact]
    public async Task LoadStoppedPartWay_LeavesNothingBehind()
    {
        await Loader.LoadAsync(new PopulationLoadRequest(200, 5, AsOf), null, CancellationToken.None);
        var before = await Loader.CountAsync(CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var progress = new Stopper(stop);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Loader.LoadAsync(
            new PopulationLoadRequest(3_000, 6, AsOf, PopulationLoadMode.Append) { BulkFrom = 1, HouseholdsPerChunk = 50 }, progress, stop.Token));

        Assert.Equal(before, await Loader.CountAsync(CancellationToken.None));
        await using var scope = _server.Services.CreateAsyncScope();
        Assert.Equal(PopulationSchema.Indexes.Count, await CountIndexesAsync(scope.ServiceProvider.GetRequiredService<DvcDbContext>()));
        Assert.True(await SearchIndexInPlaceAsync(scope.ServiceProvider.GetRequiredService<DvcDbContext>()));
    }

    protected abstract Task<int> CountIndexesAsync(DvcDbContext db);

    /// <summary>Whether the provider's name-search index is there: the GIN index, or the FTS table with its three triggers.</summary>
    protected abstract Task<bool> SearchIndexInPlaceAsync(DvcDbContext db);

    /// <summary>How many of the loader's secondary indexes are among the database's indexes.</summary>
    protected static int CountLoaderIndexes(List<string> indexNames) => PopulationSchema.Indexes.Count(i => indexNames.Contains(i.Name));

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);

    /// <summary>Cancels the load as soon as the first chunk is written.</summary>
    private sealed class Stopper(CancellationTokenSource stop) : IProgress<PopulationLoadProgress>
    {
        public void Report(PopulationLoadProgress value) => stop.Cancel();
    }
}

public sealed class PopulationLoadOnSqliteTests : PopulationLoadTests
{
    protected override Task<InProcessServer> StartServerAsync(params string[] args) => InProcessServer.StartAsync(null, args);

    protected override async Task<int> CountIndexesAsync(DvcDbContext db)
        => CountLoaderIndexes(await db.Database.SqlQueryRaw<string>("SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'index'").ToListAsync());

    protected override async Task<bool> SearchIndexInPlaceAsync(DvcDbContext db)
        => await db.Database.SqlQueryRaw<int>(
            $"SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE (type = 'table' AND name = '{CitizenSearchIndex.FtsTable}') OR (type = 'trigger' AND tbl_name = 'citizens')")
            .SingleAsync() == 4;
}

[Collection(PostgresCollection.Name)]
public sealed class PopulationLoadOnPostgresTests(PostgresCluster cluster) : PopulationLoadTests
{
    protected override async Task<InProcessServer> StartServerAsync(params string[] args)
        => await InProcessServer.StartAsync(await cluster.CreateDatabaseAsync(), args);

    protected override async Task<int> CountIndexesAsync(DvcDbContext db)
        => CountLoaderIndexes(await db.Database.SqlQueryRaw<string>("SELECT indexname::text AS \"Value\" FROM pg_indexes").ToListAsync());

    protected override async Task<bool> SearchIndexInPlaceAsync(DvcDbContext db)
        => await db.Database.SqlQueryRaw<int>(
            $"SELECT COUNT(*)::int AS \"Value\" FROM pg_indexes WHERE indexname = '{CitizenSearchIndex.PostgresIndexName}'").SingleAsync() == 1;
}
