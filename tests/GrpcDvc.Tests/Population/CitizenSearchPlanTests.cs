using GrpcDvc.Server.Population;
using GrpcDvc.Server.Population.Generation;
using GrpcDvc.Server.Population.Loading;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Storage;
using GrpcDvc.Server.Text;
using GrpcDvc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GrpcDvc.Tests.Population;

/// <summary>
/// PostgreSQL plans a search through the GIN index, not a scan of citizens: 20,000 generated
/// citizens bulk-loaded by the server's own loader (which drops and re-creates the index), the
/// statistics it leaves, and the search's own key expression.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CitizenSearchPlanOnPostgresTests(PostgresCluster cluster) : IAsyncLifetime
{
    private const int Citizens = 20_000;
    private static readonly AdministrativeUnitData Units = AdministrativeUnitData.Load(AdministrativeUnitData.DefaultPath);

    private InProcessServer _server = null!;
    private List<CitizenRow> _generated = null!;

    public async Task InitializeAsync()
    {
        _server = await InProcessServer.StartAsync(await cluster.CreateDatabaseAsync(), "--Dvc:Population:DemoCitizens=0");
        var asOf = PopulationGeneratorOptions.DefaultAsOf;
        await new PopulationLoader(_server.Services.GetRequiredService<DatabaseTarget>(), Units)
            .LoadAsync(new PopulationLoadRequest(Citizens, 7, asOf) { BulkFrom = 1 }, null, CancellationToken.None);
        _generated = [.. new PopulationGenerator(Units, new PopulationGeneratorOptions(Citizens, 7, asOf)).Generate().SelectMany(h => h.Citizens)];
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData(0)]
    [InlineData(1234)]
    [InlineData(19_999)]
    public async Task FullNameAndBirthYear_IsPlannedOnTheSearchIndex_NotAScanOfCitizens(int sample)
    {
        var citizen = _generated[sample];
        string[] keys = [.. VietnameseText.NameWords(citizen.FullName), CitizenSearchIndex.BornKey(citizen.BirthYear)];

        var page = await ExplainAsync($"SELECT * FROM citizens c WHERE {CitizenSearchIndex.KeysOfC} @> $1 ORDER BY c.id LIMIT 51", keys);
        var count = await ExplainAsync($"SELECT COUNT(*) FROM (SELECT 1 FROM citizens c WHERE {CitizenSearchIndex.KeysOfC} @> $1 LIMIT 1001) t", keys);

        foreach (var plan in new[] { page, count })
        {
            Assert.Contains(CitizenSearchIndex.PostgresIndexName, plan, StringComparison.Ordinal);
            Assert.DoesNotContain("Seq Scan on citizens", plan, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1234)]
    [InlineData(19_999)]
    public async Task FullNameAndBirthYear_AsTheStoreAsksIt_ScansTheIndexForYearQualifiedKeysOnly(int sample)
    {
        var citizen = _generated[sample];
        var keys = CitizenSearchIndex.SearchKeys(VietnameseText.NameWords(citizen.FullName), citizen.BirthYear, null);

        // ANALYZE: the plan as run, with the keys the index was searched for (a custom plan shows the values).
        var plan = await ExplainAsync($"SELECT * FROM citizens c WHERE {CitizenSearchIndex.KeysOfC} @> $1 ORDER BY c.id LIMIT 51", "ANALYZE", keys);

        Assert.Contains(CitizenSearchIndex.PostgresIndexName, plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan on citizens", plan, StringComparison.Ordinal);
        Assert.Contains(CitizenSearchIndex.YearWordKey(citizen.BirthYear, VietnameseText.NameWords(citizen.FullName).MaxBy(w => w.Length)!), plan, StringComparison.Ordinal);
        Assert.DoesNotContain("born:", plan, StringComparison.Ordinal);
        // The citizen is found through those keys alone (one row at least, the citizen's own).
        Assert.DoesNotContain("rows=0 loops", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithinAnOfficialsScope_IsPlannedOnTheSearchIndex()
    {
        var citizen = _generated[4321];
        string[] keys = [.. VietnameseText.NameWords(citizen.FullName)];
        string[] scope = [CitizenSearchIndex.LivesKey(citizen.CurrentUnitId), CitizenSearchIndex.LivesKey(citizen.PermanentUnitId)];

        var plan = await ExplainAsync(
            $"SELECT * FROM citizens c WHERE {CitizenSearchIndex.KeysOfC} @> $1 AND {CitizenSearchIndex.KeysOfC} && $2 ORDER BY c.id LIMIT 51", keys, scope);

        Assert.Contains(CitizenSearchIndex.PostgresIndexName, plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan on citizens", plan, StringComparison.Ordinal);
    }

    private Task<string> ExplainAsync(string sql, params string[][] parameters) => ExplainAsync(sql, string.Empty, parameters);

    private async Task<string> ExplainAsync(string sql, string options, params string[][] parameters)
    {
        await using var connection = new NpgsqlConnection(_server.Services.GetRequiredService<DatabaseTarget>().ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(options.Length == 0 ? $"EXPLAIN {sql}" : $"EXPLAIN ({options}) {sql}", connection);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }
}
