using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Contracts.Common.V1;
using GrpcDvc.Contracts.Population.V1;
using GrpcDvc.Server.Population;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static GrpcDvc.Tests.Population.RegistryServer;

namespace GrpcDvc.Tests.Population;

/// <summary>
/// SearchCitizens, link by link: each way a citizen belongs to an official's unit or to the place
/// asked for is enough on its own; and what a page reads beside the citizens' rows (their cards only
/// when the purpose shows them, in the order they were issued). Once per provider.
/// </summary>
public abstract class CitizenSearchScopeTests : IAsyncLifetime
{
    private const string CommuneOfficer = "commune-b-officer";
    private const string Ministry = "ministry";
    private const string SearchRpc = "/dvc.population.v1.PopulationService/SearchCitizens";

    private RegistryServer Registry { get; set; } = null!;

    public async Task InitializeAsync()
    {
        Registry = await RegistryServer.StartAsync(await PostgresAsync(), DatabaseCalls.Register);
        Registry.Callers.Official(CommuneOfficer, RegistryTestData.CommuneB, Role.ProcessingOfficer);
        Registry.Callers.Official(Ministry, TestAgencyScope.NationalUnit, Role.ProcessingOfficer);
    }

    public async Task DisposeAsync() => await Registry.DisposeAsync();

    protected abstract Task<string?> PostgresAsync();

    // A citizen of commune A whose one link to commune B is the one named.
    private static Action<CitizenRow> LinkedToCommuneB(string link) => link switch
    {
        "permanent" => row => row.PermanentUnitId = RegistryTestData.CommuneBId,
        "current" => row =>
        {
            row.CurrentUnitId = RegistryTestData.CommuneBId;
            row.CurrentProvinceId = RegistryTestData.ProvinceBId;
        },
        "temporary" => row =>
        {
            row.TemporaryUnitId = RegistryTestData.CommuneBId;
            row.TemporaryAddress = "Số 1 đường Lê Lợi";
        },
        "birth registration" => row => row.BirthRegistrationUnitId = RegistryTestData.CommuneBId,
        _ => throw new ArgumentOutOfRangeException(nameof(link)),
    };

    [Theory]
    [InlineData("permanent")]
    [InlineData("current")]
    [InlineData("temporary")]
    public async Task SearchCitizens_OfficialOfACommune_FindsACitizenWhoseOnlyResidenceThereIsThisOne(string link)
    {
        var linked = await Registry.Data.AddCitizenAsync("Lương Văn Kiên", 1981, tweak: LinkedToCommuneB(link));
        await Registry.Data.AddCitizenAsync("Lương Văn Kiên", 1982);

        var reply = await SearchAsync("luong van kien", CommuneOfficer);

        Assert.Equal(linked.IdNumber, Assert.Single(reply.Citizens).IdNumber);
        Assert.Equal(1, reply.Page.TotalSize);
    }

    [Theory]
    [InlineData("permanent")]
    [InlineData("current")]
    [InlineData("temporary")]
    [InlineData("birth registration")]
    public async Task SearchCitizens_PlaceFilterOnACommune_FindsACitizenLinkedToItByThatAlone(string link)
    {
        var linked = await Registry.Data.AddCitizenAsync("Quách Thị Mơ", 1975, Server.Population.Gender.Female, tweak: LinkedToCommuneB(link));
        await Registry.Data.AddCitizenAsync("Quách Thị Mơ", 1976, Server.Population.Gender.Female);

        var reply = await SearchAsync("quach thi mo", Ministry, place: RegistryTestData.CommuneB);

        Assert.Equal(linked.IdNumber, Assert.Single(reply.Citizens).IdNumber);
    }

    [Fact]
    public async Task SearchCitizens_PlaceFilterOnAProvince_FindsWhoLivesInIt_ThroughTheCurrentProvince()
    {
        var livesInB = await Registry.Data.AddCitizenAsync("Quách Văn Tùng", 1975, tweak: LinkedToCommuneB("current"));
        await Registry.Data.AddCitizenAsync("Quách Văn Tùng", 1976);

        var reply = await SearchAsync("quach van tung", Ministry, place: RegistryTestData.ProvinceB);

        Assert.Equal(livesInB.IdNumber, Assert.Single(reply.Citizens).IdNumber);
    }

    [Fact]
    public async Task SearchCitizens_OfficialWhoseScopeCoversNoUnit_GetsAnExactEmptyAnswer_WithoutTheRegistryBeingRead()
    {
        await Registry.Data.AddCitizenAsync("Mai Văn Tiến", 1980);
        Registry.Callers.Official("nowhere", "NO-SUCH-UNIT", Role.ProcessingOfficer);

        var reply = await SearchAsync("mai van tien", "nowhere");

        Assert.Empty(reply.Citizens);
        Assert.Equal(0, reply.Page.TotalSize);
        Assert.False(reply.TotalSizeCapped);
        Assert.DoesNotContain(LastSql(), s => s.Contains($"FROM {PopulationSchema.Citizens}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SearchCitizens_ForCardIssuance_GivesEachCitizensCards_InTheOrderIssued()
    {
        var first = await Registry.Data.AddCitizenAsync("Tôn Nữ Hoa", 1960, Server.Population.Gender.Female);
        var second = await Registry.Data.AddCitizenAsync("Tôn Nữ Hoa", 1961, Server.Population.Gender.Female);
        // Saved out of date order, and two cards of one day: the order is the issue date, then the order recorded.
        await Registry.Data.AddRowsAsync(
            Card(first, IdentityDocumentKind.CccdChip, "001160000001", 2021),
            Card(second, IdentityDocumentKind.Cmnd9, "011000222", 2004),
            Card(first, IdentityDocumentKind.Cmnd9, "011000111", 2004),
            Card(first, IdentityDocumentKind.Cmnd12, "001000000111", 2004));

        var reply = await SearchAsync("ton nu hoa", OfficerA, AccessPurpose.CardIssuance);

        var cards = reply.Citizens.ToDictionary(c => c.IdNumber, c => c.Documents.Select(d => d.Number).ToList());
        Assert.Equal(["011000111", "001000000111", "001160000001"], cards[first.IdNumber]);
        Assert.Equal(["011000222"], cards[second.IdNumber]);
    }

    [Fact]
    public async Task SearchCitizens_ForAPurposeThatShowsNoCards_ReadsNeitherCardsNorResidenceHistory()
    {
        var row = await Registry.Data.AddCitizenAsync("Tôn Thất Minh", 1960, oldCmnd: "011000333");

        var reply = await SearchAsync("ton that minh", OfficerA, AccessPurpose.IdentityVerification);

        Assert.Empty(Assert.Single(reply.Citizens, c => c.IdNumber == row.IdNumber).Documents);
        Assert.DoesNotContain(LastSql(), s => s.Contains(PopulationSchema.IdentityDocuments, StringComparison.Ordinal));
        Assert.DoesNotContain(LastSql(), s => s.Contains(PopulationSchema.ResidenceRecords, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SearchCitizens_ForCardIssuance_ThatFindsNobody_ReadsNoCards()
    {
        await Registry.Data.AddCitizenAsync("Tôn Thất Minh", 1960, oldCmnd: "011000333");

        var reply = await SearchAsync("ton that thuyet", OfficerA, AccessPurpose.CardIssuance);

        Assert.Empty(reply.Citizens);
        Assert.DoesNotContain(LastSql(), s => s.Contains(PopulationSchema.IdentityDocuments, StringComparison.Ordinal));
        Assert.DoesNotContain(LastSql(), s => s.Contains(PopulationSchema.ResidenceRecords, StringComparison.Ordinal));
    }

    private IReadOnlyList<string> LastSql() => Registry.Server.Services.GetRequiredService<DatabaseCalls>().LastCall(SearchRpc);

    private static IdentityDocumentRow Card(CitizenRow holder, IdentityDocumentKind kind, string number, int year)
        => new()
        {
            CitizenId = holder.Id, Kind = kind, Number = number, IssuedOn = new DateOnly(year, 4, 2), Status = DocumentStatus.Valid,
            IssuedBy = "Công an Thành phố Hà Nội",
        };

    private async Task<SearchCitizensResponse> SearchAsync(
        string name, string caller, AccessPurpose purpose = AccessPurpose.IdentityVerification, string place = "")
        => await Registry.Population.SearchCitizensAsync(new SearchCitizensRequest
        {
            Name = name,
            PlaceCode = place,
            Access = new AccessContext { Purpose = purpose, Reference = "000.00.01.H26-251123-0007" },
            Page = new PageRequest(),
        }, As(caller));
}

public sealed class CitizenSearchScopeOnSqliteTests : CitizenSearchScopeTests
{
    protected override Task<string?> PostgresAsync() => Task.FromResult<string?>(null);
}

[Collection(PostgresCollection.Name)]
public sealed class CitizenSearchScopeOnPostgresTests(PostgresCluster cluster) : CitizenSearchScopeTests
{
    protected override async Task<string?> PostgresAsync() => await cluster.CreateDatabaseAsync();
}
