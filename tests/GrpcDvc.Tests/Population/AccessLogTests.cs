using Grpc.Core;
using GrpcDvc.Client;
using GrpcDvc.Contracts.Audit.V1;
using GrpcDvc.Contracts.Common.V1;
using GrpcDvc.Contracts.Population.V1;
using GrpcDvc.Server.Population.DataAccessLog;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static GrpcDvc.Tests.Population.PopulationServiceTests;
using static GrpcDvc.Tests.Population.RegistryServer;

namespace GrpcDvc.Tests.Population;

/// <summary>Every read of a citizen's data is logged before it is served; once per provider.</summary>
public abstract class AccessLogTests : IAsyncLifetime
{
    protected RegistryServer Registry { get; private set; } = null!;

    private PopulationService.PopulationServiceClient Population => Registry.Population;

    public async Task InitializeAsync() => Registry = await RegistryServer.StartAsync(await PostgresAsync());

    public async Task DisposeAsync() => await Registry.DisposeAsync();

    protected abstract Task<string?> PostgresAsync();

    /// <summary>SQL that makes every insert into data_accesses fail, as a full disk or a broken table would.</summary>
    protected abstract string BreakAccessLogSql { get; }

    protected abstract string RepairAccessLogSql { get; }

    [Fact]
    public async Task Read_WhenTheAccessLogCannotBeWritten_ReturnsNoData()
    {
        var row = await Registry.Data.AddCitizenAsync("Lý Văn Sơn", 1983);
        Registry.Callers.Citizen("son", row.IdNumber);
        await Registry.ExecuteSqlAsync(BreakAccessLogSql);

        var lookup = await Assert.ThrowsAsync<RpcException>(() => Population.LookupCitizenAsync(Lookup(row.IdNumber, AccessPurpose.IdentityVerification), As(OfficerA)).ResponseAsync);
        var own = await Assert.ThrowsAsync<RpcException>(() => Population.GetMyRecordAsync(new GetMyRecordRequest(), As("son")).ResponseAsync);
        var search = await Assert.ThrowsAsync<RpcException>(() => Population.SearchCitizensAsync(
            new SearchCitizensRequest { Name = "ly van son", Access = new AccessContext { Purpose = AccessPurpose.IdentityVerification } }, As(OfficerA)).ResponseAsync);

        foreach (var ex in new[] { lookup, own, search })
        {
            Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
            Assert.Equal("ACCESS_LOG_UNAVAILABLE", ex.GetErrorInfo()!.Reason);
            Assert.DoesNotContain(row.IdNumber, ex.Status.Detail, StringComparison.Ordinal);
        }

        await Registry.ExecuteSqlAsync(RepairAccessLogSql);
        Assert.Equal(0, await Registry.WithDbAsync(db => db.Set<DataAccessRecord>().CountAsync()));
        var after = await Population.LookupCitizenAsync(Lookup(row.IdNumber, AccessPurpose.IdentityVerification), As(OfficerA));
        Assert.Equal("Lý Văn Sơn", after.Citizen.FullName);
    }

    [Fact]
    public async Task Read_WhenTheAccessLogCannotBeWritten_LogsTheCauseOncePerRequestWithoutPersonalData()
    {
        var row = await Registry.Data.AddCitizenAsync("Lý Văn Sơn", 1983);
        Registry.Callers.Citizen("son", row.IdNumber);
        await Registry.ExecuteSqlAsync(BreakAccessLogSql);

        await Assert.ThrowsAsync<RpcException>(() => Population.LookupCitizenAsync(Lookup(row.IdNumber, AccessPurpose.IdentityVerification), As(OfficerA)).ResponseAsync);
        await Assert.ThrowsAsync<RpcException>(() => Population.GetMyRecordAsync(new GetMyRecordRequest(), As("son")).ResponseAsync);
        await Assert.ThrowsAsync<RpcException>(() => Population.SearchCitizensAsync(
            new SearchCitizensRequest { Name = "ly van son", Access = new AccessContext { Purpose = AccessPurpose.IdentityVerification } }, As(OfficerA)).ResponseAsync);
        await Registry.ExecuteSqlAsync(RepairAccessLogSql);

        var causes = Registry.Logs.Entries.Where(e => e.Category == typeof(Server.Population.CitizenReads).FullName).ToList();
        Assert.Equal(
            ["/dvc.population.v1.PopulationService/LookupCitizen", "/dvc.population.v1.PopulationService/GetMyRecord", "/dvc.population.v1.PopulationService/SearchCitizens"],
            causes.Select(c => c.Properties["Rpc"] as string));
        Assert.All(causes, cause =>
        {
            Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Error, cause.Level);
            Assert.Contains("access log down", cause.Exception?.ToString() ?? "", StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(cause.Properties["RequestId"] as string));
            Assert.DoesNotContain(row.IdNumber, cause.AllText, StringComparison.Ordinal);
            Assert.DoesNotContain("Lý Văn Sơn", cause.AllText, StringComparison.Ordinal);
            Assert.DoesNotContain("ly van son", cause.AllText, StringComparison.OrdinalIgnoreCase);
        });
        Assert.Equal(3, causes.Select(c => c.Properties["RequestId"]).Distinct().Count());
    }

    [Fact]
    public async Task ListMyDataAccesses_ShowsExactlyTheReadsOfTheCallersRecord_NewestFirst()
    {
        var me = await Registry.Data.AddCitizenAsync("Mai Thị Hạnh", 1987, Server.Population.Gender.Female);
        var neighbour = await Registry.Data.AddCitizenAsync("Mai Văn Hậu", 1985);
        Registry.Callers.Citizen("hanh", me.IdNumber);
        await Population.LookupCitizenAsync(Lookup(me.IdNumber, AccessPurpose.IdentityVerification), As(OfficerA));
        await Population.GetPersonalIdNotificationAsync(new GetPersonalIdNotificationRequest
        {
            IdNumber = me.IdNumber,
            Access = new AccessContext { Purpose = AccessPurpose.CardIssuance, Reference = "CC-2026-17" },
        }, As(OfficerA));
        await Population.LookupCitizenAsync(Lookup(neighbour.IdNumber, AccessPurpose.IdentityVerification), As(OfficerA));
        await Assert.ThrowsAsync<RpcException>(() => Population.LookupCitizenAsync(Lookup(me.IdNumber, AccessPurpose.IdentityVerification), As(OfficerB)).ResponseAsync);
        await Population.GetMyRecordAsync(new GetMyRecordRequest(), As("hanh"));

        var reply = await Population.ListMyDataAccessesAsync(new ListMyDataAccessesRequest(), As("hanh"));

        Assert.Equal(
            ["/dvc.population.v1.PopulationService/GetMyRecord", "/dvc.population.v1.PopulationService/GetPersonalIdNotification", "/dvc.population.v1.PopulationService/LookupCitizen"],
            reply.Accesses.Select(a => a.Rpc));
        var lookup = reply.Accesses[2];
        Assert.Equal(AccessPurpose.IdentityVerification, lookup.Purpose);
        Assert.Equal("000.00.01.H26-251123-0001", lookup.Reference);
        Assert.Equal(RegistryTestData.ProvinceA, lookup.AgencyCode);
        Assert.Equal("Thành phố Hà Nội", lookup.AgencyName);
        Assert.Equal("processing_officer", lookup.AccessorRole);
        Assert.Equal(["id_number", "full_name", "other_names", "birth_date", "gender", "nationality", "status"], lookup.Fields);
        Assert.Equal(AccessPurpose.CardIssuance, reply.Accesses[1].Purpose);
        Assert.Equal(AccessPurpose.SelfService, reply.Accesses[0].Purpose);
        Assert.Equal(3, reply.Page.TotalSize);
    }

    [Fact]
    public async Task ListMyDataAccesses_PagedByTwo_ReturnsEveryEntryOnce()
    {
        var me = await Registry.Data.AddCitizenAsync("Mai Thị Hạnh", 1987, Server.Population.Gender.Female);
        Registry.Callers.Citizen("hanh", me.IdNumber);
        for (var i = 0; i < 5; i++)
        {
            await Population.LookupCitizenAsync(Lookup(me.IdNumber, AccessPurpose.IdentityVerification), As(OfficerA));
        }

        var first = await Population.ListMyDataAccessesAsync(new ListMyDataAccessesRequest { Page = new PageRequest { PageSize = 2 } }, As("hanh"));
        var second = await Population.ListMyDataAccessesAsync(
            new ListMyDataAccessesRequest { Page = new PageRequest { PageSize = 2, PageToken = first.Page.NextPageToken } }, As("hanh"));
        var third = await Population.ListMyDataAccessesAsync(
            new ListMyDataAccessesRequest { Page = new PageRequest { PageSize = 2, PageToken = second.Page.NextPageToken } }, As("hanh"));

        Assert.Equal([2, 2, 1], new[] { first, second, third }.Select(p => p.Accesses.Count));
        Assert.Empty(third.Page.NextPageToken);
    }

    [Fact]
    public async Task Lookup_OfAnUnknownIdNumber_IsLoggedWithNoFields()
    {
        await Assert.ThrowsAsync<RpcException>(() => Population.LookupCitizenAsync(Lookup("001085999999", AccessPurpose.IdentityVerification), As(OfficerA)).ResponseAsync);

        var reply = await Registry.Audit.QueryDataAccessesAsync(new QueryDataAccessesRequest { SubjectIdNumber = "001085999999" }, As(Auditor));

        var entry = Assert.Single(reply.Entries);
        Assert.Empty(entry.Fields);
        Assert.Equal("/dvc.population.v1.PopulationService/LookupCitizen", entry.Rpc);
    }
}

public sealed class AccessLogOnSqliteTests : AccessLogTests
{
    internal const string BreakSql =
        "CREATE TRIGGER access_log_down BEFORE INSERT ON data_accesses BEGIN SELECT RAISE(ABORT, 'access log down'); END;";

    protected override string BreakAccessLogSql => BreakSql;

    protected override string RepairAccessLogSql => "DROP TRIGGER access_log_down;";

    protected override Task<string?> PostgresAsync() => Task.FromResult<string?>(null);
}

[Collection(PostgresCollection.Name)]
public sealed class AccessLogOnPostgresTests(PostgresCluster cluster) : AccessLogTests
{
    internal const string BreakSql = """
        CREATE FUNCTION access_log_down() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'access log down'; END $$;
        CREATE TRIGGER access_log_down BEFORE INSERT ON data_accesses FOR EACH ROW EXECUTE FUNCTION access_log_down();
        """;

    protected override string BreakAccessLogSql => BreakSql;

    protected override string RepairAccessLogSql => "DROP TRIGGER access_log_down ON data_accesses; DROP FUNCTION access_log_down();";

    protected override async Task<string?> PostgresAsync() => await cluster.CreateDatabaseAsync();
}
