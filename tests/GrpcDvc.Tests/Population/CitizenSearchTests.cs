using Grpc.Core;
using GrpcDvc.Client;
using GrpcDvc.Contracts.Common.V1;
using GrpcDvc.Contracts.Population.V1;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static GrpcDvc.Tests.Population.RegistryServer;

namespace GrpcDvc.Tests.Population;

/// <summary>
/// SearchCitizens through the name-search index (issue 10): word-prefix matching, folding, filters,
/// paging, the capped total, hostile input and agency scope in the query; run once per provider.
/// </summary>
public abstract class CitizenSearchTests : IAsyncLifetime
{
    /// <summary>The count cap these tests run with, small enough to pass with a handful of citizens.</summary>
    private const int CountLimit = 4;

    /// <summary>An official of the Ministry, whose scope is the whole country.</summary>
    protected const string Ministry = "ministry";

    protected RegistryServer Registry { get; private set; } = null!;

    private PopulationService.PopulationServiceClient Population => Registry.Population;

    public async Task InitializeAsync()
    {
        Registry = await RegistryServer.StartAsync(await PostgresAsync(), DatabaseCalls.Register, $"--Dvc:Population:SearchCountLimit={CountLimit}");
        Registry.Callers.Official(Ministry, TestAgencyScope.NationalUnit, Contracts.Auth.V1.Role.ProcessingOfficer);
    }

    public async Task DisposeAsync() => await Registry.DisposeAsync();

    protected abstract Task<string?> PostgresAsync();

    [Theory]
    [InlineData("an", new[] { "Nguyễn Văn An", "Phạm Anh Tuấn", "Lê Thị Ánh" })]
    [InlineData("nguyen van", new[] { "Nguyễn Văn An", "Nguyễn Văn Thắng" })]
    [InlineData("van nguyen", new[] { "Nguyễn Văn An", "Nguyễn Văn Thắng" })]
    [InlineData("ng v th", new[] { "Nguyễn Văn Thắng" })]
    [InlineData("lan", new[] { "Trần Thị Lan" })]
    [InlineData("hoang", new[] { "Hoàng Minh Đức" })]
    [InlineData("oang", new string[0])]
    [InlineData("uyen", new string[0])]
    public async Task SearchCitizens_EachWordMustStartAWordOfTheName_NotMerelyAppearInIt(string name, string[] expected)
    {
        foreach (var fullName in new[] { "Nguyễn Văn An", "Trần Thị Lan", "Hoàng Minh Đức", "Phạm Anh Tuấn", "Lê Thị Ánh", "Nguyễn Văn Thắng" })
        {
            await Registry.Data.AddCitizenAsync(fullName, 1980);
        }

        var reply = await SearchAsync(name);

        Assert.Equal(expected.Order(StringComparer.Ordinal), reply.Citizens.Select(c => c.FullName).Order(StringComparer.Ordinal));
        Assert.Equal(expected.Length, reply.Page.TotalSize);
        Assert.False(reply.TotalSizeCapped);
    }

    [Theory]
    [InlineData("ĐỖ THỊ HƯƠNG")]
    [InlineData("do thi huong")]
    [InlineData("Đỗ  thị   Hương")]
    [InlineData("DO THI HUONG")]
    [InlineData("đỗ hư")]
    public async Task SearchCitizens_IgnoresDiacriticsCaseAndSpacing(string name)
    {
        var huong = await Registry.Data.AddCitizenAsync("Đỗ Thị Hương", 1991, Server.Population.Gender.Female);
        await Registry.Data.AddCitizenAsync("Đỗ Thị Hồng", 1991, Server.Population.Gender.Female);

        var reply = await SearchAsync(name);

        Assert.Equal(huong.IdNumber, Assert.Single(reply.Citizens).IdNumber);
    }

    [Fact]
    public async Task SearchCitizens_BirthYearAndPlace_NarrowTheNameMatches()
    {
        var wanted = await Registry.Data.AddCitizenAsync("Vũ Đình Khoa", 1970, inProvinceB: true);
        await Registry.Data.AddCitizenAsync("Vũ Đình Khoa", 1971, inProvinceB: true);
        await Registry.Data.AddCitizenAsync("Vũ Đình Khoa", 1970);
        // Lives in province A but was registered at birth in B: a place filter on B finds the birth registration too.
        var bornInB = await Registry.Data.AddCitizenAsync("Vũ Đình Khoa", 1970,
            tweak: row => row.BirthRegistrationUnitId = RegistryTestData.ProvinceBId);

        var byYear = await SearchAsync("vu dinh khoa", birthYear: 1970, caller: Ministry);
        var byYearAndProvince = await SearchAsync("vu dinh khoa", birthYear: 1970, place: RegistryTestData.ProvinceB, caller: Ministry);
        var byYearAndCommune = await SearchAsync("vu dinh khoa", birthYear: 1970, place: RegistryTestData.CommuneB, caller: Ministry);

        Assert.Equal(3, byYear.Page.TotalSize);
        Assert.Equal(new[] { wanted.IdNumber, bornInB.IdNumber }.Order(StringComparer.Ordinal), byYearAndProvince.Citizens.Select(c => c.IdNumber).Order(StringComparer.Ordinal));
        Assert.Equal(wanted.IdNumber, Assert.Single(byYearAndCommune.Citizens).IdNumber);
    }

    [Theory]
    [InlineData(4, 2)]
    [InlineData(4, 4)]
    [InlineData(3, 1)]
    [InlineData(3, 2)]
    [InlineData(3, 5)]
    public async Task SearchCitizens_PagedThrough_ReturnsEveryMatchExactlyOnce_WithNoEmptyLastPage(int matches, int pageSize)
    {
        var expected = new List<string>();
        for (var i = 0; i < matches; i++)
        {
            expected.Add((await Registry.Data.AddCitizenAsync("Bùi Quang Hải", 1950 + i)).IdNumber);
            // Names that must not match, between the ones that do, so the id order has gaps.
            await Registry.Data.AddCitizenAsync("Bùi Quang Hà", 1950 + i);
        }

        var seen = new List<string>();
        var token = string.Empty;
        var pages = 0;
        do
        {
            var page = await SearchAsync("bui quang hai", pageSize: pageSize, token: token);
            Assert.NotEmpty(page.Citizens);
            Assert.Equal(matches, page.Page.TotalSize);
            seen.AddRange(page.Citizens.Select(c => c.IdNumber));
            token = page.Page.NextPageToken;
            pages++;
        }
        while (token.Length > 0 && pages <= matches);

        Assert.Equal(expected.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        Assert.Equal(matches, seen.Distinct().Count());
        Assert.Equal((matches + pageSize - 1) / pageSize, pages);
    }

    [Fact]
    public async Task SearchCitizens_MoreMatchesThanTheCountLimit_TotalIsTheLimitAndMarkedCapped_PagingStillReachesAll()
    {
        for (var i = 0; i < CountLimit + 2; i++)
        {
            await Registry.Data.AddCitizenAsync("Đặng Văn Sơn", 1960 + i);
        }

        var first = await SearchAsync("dang van son", pageSize: 2);
        var seen = first.Citizens.Select(c => c.IdNumber).ToList();
        var token = first.Page.NextPageToken;
        while (token.Length > 0 && seen.Count <= CountLimit + 2)
        {
            var page = await SearchAsync("dang van son", pageSize: 2, token: token);
            seen.AddRange(page.Citizens.Select(c => c.IdNumber));
            token = page.Page.NextPageToken;
        }

        Assert.Equal(CountLimit, first.Page.TotalSize);
        Assert.True(first.TotalSizeCapped);
        Assert.Equal(CountLimit + 2, seen.Distinct().Count());
    }

    [Fact]
    public async Task SearchCitizens_AsManyMatchesAsTheCountLimit_IsAnExactTotal()
    {
        for (var i = 0; i < CountLimit; i++)
        {
            await Registry.Data.AddCitizenAsync("Đặng Văn Sơn", 1960 + i);
        }

        var reply = await SearchAsync("dang van son");

        Assert.Equal(CountLimit, reply.Page.TotalSize);
        Assert.False(reply.TotalSizeCapped);
    }

    // Operators of FTS5 (quotes, *, OR, NOT, NEAR, ^, column filters), of tsquery (&, |, !, :*) and of
    // LIKE (%, _), and SQL: each must be punctuation that separates words, or a plain word to match.
    [Theory]
    [InlineData("an\" OR \"lan")]
    [InlineData("an OR lan")]
    [InlineData("lan | an")]
    [InlineData("NOT lan")]
    [InlineData("an NEAR lan")]
    [InlineData("folded_name:lan")]
    [InlineData("lan'); DROP TABLE citizens; --")]
    [InlineData("l%n")]
    [InlineData("l_n")]
    [InlineData("{lan}")]
    public async Task SearchCitizens_OperatorsAndSqlInTheName_NeitherBreakNorWidenTheSearch(string name)
    {
        foreach (var fullName in new[] { "Nguyễn Văn An", "Trần Thị Lan", "Hoàng Minh Đức" })
        {
            await Registry.Data.AddCitizenAsync(fullName, 1980);
        }

        var citizens = await CountCitizensAsync();

        var reply = await SearchAsync(name);

        // Every word of the input, as the rule splits it, must start a word of each name returned.
        var words = Server.Text.VietnameseText.NameWords(name);
        Assert.All(reply.Citizens, c => Assert.All(words, w => Assert.Contains(
            Server.Text.VietnameseText.NameWords(c.FullName), nameWord => nameWord.StartsWith(w, StringComparison.Ordinal))));
        Assert.True(reply.Citizens.Count <= 1, $"'{name}' found {reply.Citizens.Count}");
        Assert.Equal(citizens, await CountCitizensAsync());
    }

    [Theory]
    [InlineData("an*", new[] { "Nguyễn Văn An", "Phạm Anh Tuấn" })]
    [InlineData("\"anh\"", new[] { "Phạm Anh Tuấn" })]
    [InlineData("(lan)", new[] { "Trần Thị Lan" })]
    [InlineData("tran-thi", new[] { "Trần Thị Lan" })]
    public async Task SearchCitizens_PunctuationAroundWords_SearchesTheWordsAlone(string name, string[] expected)
    {
        foreach (var fullName in new[] { "Nguyễn Văn An", "Trần Thị Lan", "Phạm Anh Tuấn" })
        {
            await Registry.Data.AddCitizenAsync(fullName, 1980);
        }

        var reply = await SearchAsync(name);

        Assert.Equal(expected.Order(StringComparer.Ordinal), reply.Citizens.Select(c => c.FullName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("*")]
    [InlineData("\"\"")]
    [InlineData("% _ -- ;")]
    public async Task SearchCitizens_PunctuationOnly_IsInvalidArgument(string name)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => SearchAsync(name));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
    }

    [Fact]
    public async Task SearchCitizens_NameLongerThanAnyStoredName_IsInvalidArgument()
    {
        // 227 characters in 12 words: within the general bound on search text (256, 20 words), past any stored name.
        var ex = await Assert.ThrowsAsync<RpcException>(() => SearchAsync(string.Join(' ', Enumerable.Repeat("nguyennguyennguyen", 12))));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains(ex.GetBadRequest()!.FieldViolations, v => v.Field == "name" && v.Reason == "NAME_TOO_LONG");
    }

    [Fact]
    public async Task SearchCitizens_TotalAndPages_CountOnlyCitizensInTheOfficialsScope()
    {
        var inB = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            await Registry.Data.AddCitizenAsync("Lý Văn Phúc", 1980 + i);
            inB.Add((await Registry.Data.AddCitizenAsync("Lý Văn Phúc", 1990 + i, inProvinceB: true)).IdNumber);
        }

        // Registered in province A but staying in province B: the police where a person stays may look them up.
        inB.Add((await Registry.Data.AddCitizenAsync("Lý Văn Phúc", 2000, tweak: row =>
        {
            row.TemporaryUnitId = RegistryTestData.CommuneBId;
            row.TemporaryAddress = "Số 1 đường Lê Lợi";
        })).IdNumber);

        var seen = new List<string>();
        var token = string.Empty;
        var pages = 0;
        do
        {
            var page = await SearchAsync("ly van phuc", pageSize: 2, token: token, caller: OfficerB);
            Assert.Equal(inB.Count, page.Page.TotalSize);
            Assert.Equal(2, page.Citizens.Count);
            seen.AddRange(page.Citizens.Select(c => c.IdNumber));
            token = page.Page.NextPageToken;
            pages++;
        }
        while (token.Length > 0 && pages < 10);

        Assert.Equal(inB.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        Assert.Equal(2, pages);
        // Province A's officer: the three living in A and the one registered there.
        var inA = await SearchAsync("ly van phuc", caller: OfficerA);
        Assert.Equal(4, inA.Page.TotalSize);
        Assert.False(inA.TotalSizeCapped);
    }

    [Fact]
    public async Task SearchCitizens_OfficialWithoutAUnitTheHierarchyKnows_FindsNobody()
    {
        await Registry.Data.AddCitizenAsync("Mai Văn Tiến", 1980);
        Registry.Callers.Official("nowhere", "NO-SUCH-UNIT", Contracts.Auth.V1.Role.ProcessingOfficer);

        var reply = await SearchAsync("mai van tien", caller: "nowhere");

        Assert.Empty(reply.Citizens);
        Assert.Equal(0, reply.Page.TotalSize);
    }

    [Fact]
    public async Task SearchCitizens_SendsTheIndexedExpression()
    {
        await Registry.Data.AddCitizenAsync("Tạ Quang Bửu", 1910);

        await SearchAsync("ta quang buu", birthYear: 1910);

        var sql = Registry.Server.Services.GetRequiredService<DatabaseCalls>().LastCall("/dvc.population.v1.PopulationService/SearchCitizens");
        var citizenQueries = sql.Where(s => s.Contains("FROM citizens", StringComparison.Ordinal)).ToList();
        // The match goes through the index expression; the page's rows are then read by id.
        Assert.Contains(citizenQueries, s => s.Contains(Postgres ? CitizenSearchIndex.KeysOfC : $"{CitizenSearchIndex.FtsTable} MATCH", StringComparison.Ordinal));
        Assert.DoesNotContain(sql, s => s.Contains("LIKE", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("ng v", new[] { "Nguyễn Văn An", "Nguyễn Văn Bình" })]
    [InlineData("a", new[] { "Nguyễn Văn An", "Trần An" })]
    [InlineData("ng a", new[] { "Nguyễn Văn An" })]
    [InlineData("tran an", new[] { "Trần An" })]
    [InlineData("binh", new[] { "Nguyễn Văn Bình" })]
    public async Task SearchCitizens_WithABirthYear_FindsOnlyThatYearsNames_ForWordsOfAnyLength(string name, string[] expected)
    {
        // Years no demo citizen has. The same names in other years: a year-qualified key ("1902:ng")
        // or, for a one-letter word, the plain key beside born:1902, must keep them out.
        foreach (var year in new[] { 1901, 1902, 1903 })
        {
            await Registry.Data.AddCitizenAsync("Nguyễn Văn An", year);
            await Registry.Data.AddCitizenAsync(year == 1902 ? "Nguyễn Văn Bình" : "Nguyễn Văn Bính", year);
            await Registry.Data.AddCitizenAsync("Trần An", year == 1902 ? 1902 : year + 10);
        }

        var reply = await SearchAsync(name, birthYear: 1902, caller: Ministry);

        Assert.Equal(expected.Order(StringComparer.Ordinal), reply.Citizens.Select(c => c.FullName).Order(StringComparer.Ordinal));
        Assert.All(reply.Citizens, c => Assert.Equal(1902, c.BirthDate.Year));
    }

    private Task<int> CountCitizensAsync() => Registry.WithDbAsync(db => Task.FromResult(db.Set<CitizenRow>().Count()));

    private bool Postgres => Registry.Server.Services.GetRequiredService<Server.Storage.DatabaseTarget>().Provider == Server.Storage.DatabaseProvider.Postgres;

    protected async Task<SearchCitizensResponse> SearchAsync(
        string name, int birthYear = 0, string place = "", int pageSize = 0, string token = "", string caller = OfficerA)
        => await Population.SearchCitizensAsync(new SearchCitizensRequest
        {
            Name = name,
            BirthYear = birthYear,
            PlaceCode = place,
            Access = new AccessContext { Purpose = AccessPurpose.IdentityVerification },
            Page = new PageRequest { PageSize = pageSize, PageToken = token },
        }, As(caller));
}

public sealed class CitizenSearchOnSqliteTests : CitizenSearchTests
{
    protected override Task<string?> PostgresAsync() => Task.FromResult<string?>(null);
}

[Collection(PostgresCollection.Name)]
public sealed class CitizenSearchOnPostgresTests(PostgresCluster cluster) : CitizenSearchTests
{
    protected override async Task<string?> PostgresAsync() => await cluster.CreateDatabaseAsync();

    [Fact]
    public async Task SearchCitizens_WithABirthYear_AsksTheIndexForYearQualifiedKeys_NotTheWordsAndTheYear()
    {
        await Registry.Data.AddCitizenAsync("Tạ Quang Bửu", 1910);

        var reply = await SearchAsync("ta quang buu", birthYear: 1910, caller: Ministry);

        Assert.Single(reply.Citizens);
        var reads = Registry.Server.Services.GetRequiredService<DatabaseCalls>().LastReads("/dvc.population.v1.PopulationService/SearchCitizens");
        var searches = reads.Where(r => r.Sql.Contains(CitizenSearchIndex.KeysOfC, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(searches);
        // Each word's key carries the year; no plain word key and no born:1910, whose lists are long.
        Assert.All(searches, r => Assert.Equal(["1910:ta", "1910:quang", "1910:buu"], Assert.IsType<string[]>(r.Parameters[0])));
    }
}
