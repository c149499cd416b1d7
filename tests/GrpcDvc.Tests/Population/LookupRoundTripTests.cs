using GrpcDvc.Contracts.Population.V1;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static GrpcDvc.Tests.Population.PopulationServiceTests;
using static GrpcDvc.Tests.Population.RegistryServer;

namespace GrpcDvc.Tests.Population;

/// <summary>
/// What one LookupCitizen sends to the database once warm (units and the official's name cached):
/// one command that reads the citizen with the parts its purpose shows, and, with no other read under
/// way, the INSERT of its access-log entry, committing by itself on the call's own connection (the group
/// commit shares one INSERT among concurrent reads: AccessLogWriterTests). A purpose that shows no cards
/// reads none. Once per provider.
/// </summary>
public abstract class LookupRoundTripTests : IAsyncLifetime
{
    private const string LookupRpc = "/dvc.population.v1.PopulationService/LookupCitizen";

    private RegistryServer Registry { get; set; } = null!;

    public async Task InitializeAsync() => Registry = await RegistryServer.StartAsync(await PostgresAsync(), DatabaseCalls.Register);

    public async Task DisposeAsync() => await Registry.DisposeAsync();

    protected abstract Task<string?> PostgresAsync();

    [Fact]
    public async Task Lookup_ForAPurposeWithoutDocuments_IsOneReadWithoutCardsAndTheLogInsert()
    {
        var idNumber = await WarmAsync();

        var reply = await Registry.Population.LookupCitizenAsync(Lookup(idNumber, AccessPurpose.IdentityVerification), As(OfficerA));

        Assert.Equal("Đỗ Thị Lan", reply.Citizen.FullName);
        var sent = Calls.LastCall(LookupRpc);
        Assert.True(sent.Count == 2, $"Expected one read and one INSERT, got {sent.Count}:\n{string.Join("\n---\n", sent)}");
        AssertRead(sent[0], documents: false);
        AssertLogInsert(sent[1]);
        Assert.Equal(2, await LoggedReadsAsync());
    }

    [Fact]
    public async Task Lookup_ForCardIssuance_ReadsTheCardsInTheSameCommand()
    {
        var idNumber = await WarmAsync();

        var reply = await Registry.Population.LookupCitizenAsync(Lookup(idNumber, AccessPurpose.CardIssuance), As(OfficerA));

        Assert.Equal(["012345678"], reply.Citizen.OldIdNumbers);
        Assert.Single(reply.Citizen.Documents);
        var sent = Calls.LastCall(LookupRpc);
        Assert.True(sent.Count == 2, $"Expected one read and one INSERT, got {sent.Count}:\n{string.Join("\n---\n", sent)}");
        AssertRead(sent[0], documents: true);
        AssertLogInsert(sent[1]);
        Assert.Equal(2, await LoggedReadsAsync());
    }

    private DatabaseCalls Calls => (DatabaseCalls)Registry.Server.Services.GetService(typeof(DatabaseCalls))!;

    // A citizen with a card, the lookup's official as a real account (whose name the log keeps),
    // and one lookup that fills the caches, so what is measured is what every later lookup costs.
    private async Task<string> WarmAsync()
    {
        var row = await Registry.Data.AddCitizenAsync("Đỗ Thị Lan", 1979, Server.Population.Gender.Female, oldCmnd: "012345678");
        var officer = Registry.Callers.Find(OfficerA)!;
        await Registry.WithDbAsync(async db =>
        {
            db.Add(new OfficialAccountRecord
            {
                Id = officer.AccountId, Username = "officer-a", FullName = "Trần Văn Bình", AgencyUnitCode = RegistryTestData.ProvinceA,
                PasswordHash = "-", TotpSecretSealed = "-",
            });
            return await db.SaveChangesAsync();
        });
        await Registry.Population.LookupCitizenAsync(Lookup(row.IdNumber, AccessPurpose.CardIssuance), As(OfficerA));
        return row.IdNumber;
    }

    private static void AssertRead(string sql, bool documents)
    {
        Assert.StartsWith("SELECT", sql.TrimStart(), StringComparison.Ordinal);
        Assert.Contains("citizens", sql, StringComparison.Ordinal);
        Assert.Equal(documents, sql.Contains("identity_documents", StringComparison.Ordinal));
        Assert.DoesNotContain("residence_records", sql, StringComparison.Ordinal);
    }

    private static void AssertLogInsert(string sql)
    {
        Assert.StartsWith("INSERT INTO", sql.TrimStart(), StringComparison.Ordinal);
        Assert.Contains("data_accesses", sql, StringComparison.Ordinal);
    }

    private Task<int> LoggedReadsAsync() => Registry.WithDbAsync(db => db.Set<Server.Population.DataAccessLog.DataAccessRecord>().CountAsync());
}

public sealed class LookupRoundTripOnSqliteTests : LookupRoundTripTests
{
    protected override Task<string?> PostgresAsync() => Task.FromResult<string?>(null);
}

[Collection(PostgresCollection.Name)]
public sealed class LookupRoundTripOnPostgresTests(PostgresCluster cluster) : LookupRoundTripTests
{
    protected override async Task<string?> PostgresAsync() => await cluster.CreateDatabaseAsync();
}
