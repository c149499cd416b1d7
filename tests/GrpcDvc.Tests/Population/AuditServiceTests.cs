using Google.Protobuf.WellKnownTypes;
using GrpcDvc.Contracts.Audit.V1;
using GrpcDvc.Contracts.Population.V1;
using GrpcDvc.Server.Identity.SignIn;
using GrpcDvc.Tests.Support;
using static GrpcDvc.Tests.Population.PopulationServiceTests;
using static GrpcDvc.Tests.Population.RegistryServer;

namespace GrpcDvc.Tests.Population;

/// <summary>Auditors query the access log by accessor, subject, purpose and time, and the sign-in audit; once per provider.</summary>
public abstract class AuditServiceTests : IAsyncLifetime
{
    protected RegistryServer Registry { get; private set; } = null!;

    private AuditService.AuditServiceClient Audit => Registry.Audit;

    public async Task InitializeAsync() => Registry = await RegistryServer.StartAsync(await PostgresAsync());

    public async Task DisposeAsync() => await Registry.DisposeAsync();

    protected abstract Task<string?> PostgresAsync();

    [Fact]
    public async Task QueryDataAccesses_FiltersByAccessorSubjectPurposeAndTime()
    {
        var first = await Registry.Data.AddCitizenAsync("Tô Văn Bảo", 1977);
        var second = await Registry.Data.AddCitizenAsync("Tô Thị Cúc", 1979, Server.Population.Gender.Female, inProvinceB: true);
        await Registry.Population.LookupCitizenAsync(Lookup(first.IdNumber, AccessPurpose.IdentityVerification), As(OfficerA));
        await Registry.Population.LookupCitizenAsync(Lookup(first.IdNumber, AccessPurpose.ResidenceManagement), As(OfficerA));
        // Entries are stamped in milliseconds: a short pause puts the next ones clearly after the mark.
        await Task.Delay(20);
        var mark = Timestamp.FromDateTimeOffset(TimeProvider.System.GetUtcNow());
        await Task.Delay(20);
        await Registry.Population.LookupCitizenAsync(Lookup(second.IdNumber, AccessPurpose.IdentityVerification), As(OfficerB));

        var officerA = Registry.Callers.Find(OfficerA)!.AccountId.ToString();
        Assert.Equal(2, (await Query(new() { AccessorAccountId = officerA })).Entries.Count);
        Assert.Equal([first.IdNumber, first.IdNumber], (await Query(new() { SubjectIdNumber = first.IdNumber })).Entries.Select(e => e.SubjectIdNumber));
        Assert.Equal([first.IdNumber], (await Query(new() { Purpose = AccessPurpose.IdentityVerification })).Entries.Select(e => e.SubjectIdNumber));
        Assert.Equal(2, (await Query(new() { Until = mark })).Entries.Count);
        Assert.Empty((await Query(new() { From = mark })).Entries);
        var entry = (await Query(new() { AccessorAccountId = officerA, Purpose = AccessPurpose.ResidenceManagement })).Entries.Single();
        Assert.Equal("000.00.01.H26-251123-0001", entry.Reference);
        Assert.Contains("permanent_residence", entry.Fields);
    }

    [Fact]
    public async Task QueryDataAccesses_ShowsAnAuditorOnlyTheReadsOfTheirUnitAndTheUnitsUnderIt()
    {
        var first = await Registry.Data.AddCitizenAsync("Tô Văn Bảo", 1977);
        var second = await Registry.Data.AddCitizenAsync("Tô Thị Cúc", 1979, Server.Population.Gender.Female, inProvinceB: true);
        Registry.Callers.Official("auditor-b", RegistryTestData.ProvinceB, Contracts.Auth.V1.Role.Auditor);
        await Registry.Population.LookupCitizenAsync(Lookup(first.IdNumber, AccessPurpose.IdentityVerification), As(OfficerA));
        await Registry.Population.LookupCitizenAsync(Lookup(second.IdNumber, AccessPurpose.IdentityVerification), As(OfficerB));

        var seenByA = await Query(new QueryDataAccessesRequest());
        var seenByB = await Audit.QueryDataAccessesAsync(new QueryDataAccessesRequest(), As("auditor-b"));

        Assert.Equal([first.IdNumber], seenByA.Entries.Select(e => e.SubjectIdNumber));
        Assert.Equal([second.IdNumber], seenByB.Entries.Select(e => e.SubjectIdNumber));
    }

    [Fact]
    public async Task QuerySignIns_FiltersByAccountAndTime()
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var hoa = await AddOfficialAsync("canbo.hoa", RegistryTestData.ProvinceA);
        var minh = await AddOfficialAsync("canbo.minh", RegistryTestData.ProvinceA);
        await AddSignInsAsync(
            SignIn("canbo.hoa", hoa, now.AddHours(-3), succeeded: false),
            SignIn("canbo.hoa", hoa, now.AddHours(-1), succeeded: true),
            SignIn("canbo.minh", minh, now.AddHours(-2), succeeded: true));

        var ofHoa = await Audit.QuerySignInsAsync(new QuerySignInsRequest { Account = "canbo.hoa" }, As(Auditor));
        var recent = await Audit.QuerySignInsAsync(new QuerySignInsRequest { From = Timestamp.FromDateTime(now.AddMinutes(-150)) }, As(Auditor));

        Assert.Equal([true, false], ofHoa.Entries.Select(e => e.Succeeded));
        Assert.Equal("bad_password", ofHoa.Entries[1].Reason);
        Assert.Equal(["canbo.hoa", "canbo.minh"], recent.Entries.Select(e => e.Account));
    }

    [Fact]
    public async Task QuerySignIns_ShowsAnAuditorOnlyTheOfficialsOfTheirUnit_ANationalAuditorEveryone()
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var hoa = await AddOfficialAsync("canbo.hoa", RegistryTestData.ProvinceA);
        var lan = await AddOfficialAsync("canbo.lan", RegistryTestData.ProvinceB);
        await AddSignInsAsync(
            SignIn("canbo.hoa", hoa, now.AddMinutes(-5), succeeded: true),
            SignIn("canbo.lan", lan, now.AddMinutes(-4), succeeded: false),
            SignIn("001203004567", null, now.AddMinutes(-3), succeeded: true, kind: "citizen"),
            SignIn("ke.la", null, now.AddMinutes(-2), succeeded: false));
        Registry.Callers.Official("auditor-b", RegistryTestData.ProvinceB, Contracts.Auth.V1.Role.Auditor);
        Registry.Callers.Official("auditor-bca", "BCA", Contracts.Auth.V1.Role.Auditor);

        var seenByA = await Audit.QuerySignInsAsync(new QuerySignInsRequest(), As(Auditor));
        var seenByB = await Audit.QuerySignInsAsync(new QuerySignInsRequest(), As("auditor-b"));
        var seenByNation = await Audit.QuerySignInsAsync(new QuerySignInsRequest(), As("auditor-bca"));
        var askedByAForB = await Audit.QuerySignInsAsync(new QuerySignInsRequest { Account = "canbo.lan" }, As(Auditor));

        Assert.Equal(["canbo.hoa"], seenByA.Entries.Select(e => e.Account));
        Assert.Equal(1, seenByA.Page.TotalSize);
        Assert.Equal(["canbo.lan"], seenByB.Entries.Select(e => e.Account));
        // Officials the server made at its start (bootstrap, demo) have their creation rows too: not this test's subject.
        Assert.Equal(["ke.la", "001203004567", "canbo.lan", "canbo.hoa"], seenByNation.Entries.Where(e => e.Method != "official_created").Select(e => e.Account));
        Assert.Empty(askedByAForB.Entries);
    }

    private async Task<Guid> AddOfficialAsync(string username, string unit)
    {
        var id = Guid.NewGuid();
        await Registry.WithDbAsync(async db =>
        {
            db.Add(new Server.Identity.Accounts.OfficialAccountRecord
            {
                Id = id, Username = username, FullName = "Cán bộ " + username, AgencyUnitCode = unit,
                PasswordHash = "-", TotpSecretSealed = "-", CreatedAt = TimeProvider.System.GetUtcNow().UtcDateTime,
            });
            return await db.SaveChangesAsync();
        });
        return id;
    }

    private Task<int> AddSignInsAsync(params SignInAuditRecord[] signIns) => Registry.WithDbAsync(async db =>
    {
        db.AddRange(signIns);
        return await db.SaveChangesAsync();
    });

    private Task<QueryDataAccessesResponse> Query(QueryDataAccessesRequest request) => Audit.QueryDataAccessesAsync(request, As(Auditor)).ResponseAsync;

    private static SignInAuditRecord SignIn(string login, Guid? account, DateTime at, bool succeeded, string kind = "official") => new()
    {
        OccurredAt = at,
        AccountKind = kind,
        AccountId = account,
        Login = login,
        Method = SignInMethods.PasswordAndTotp,
        Succeeded = succeeded,
        Reason = succeeded ? null : "bad_password",
        Address = "10.0.0.7",
    };
}

public sealed class AuditServiceOnSqliteTests : AuditServiceTests
{
    protected override Task<string?> PostgresAsync() => Task.FromResult<string?>(null);
}

[Collection(PostgresCollection.Name)]
public sealed class AuditServiceOnPostgresTests(PostgresCluster cluster) : AuditServiceTests
{
    protected override async Task<string?> PostgresAsync() => await cluster.CreateDatabaseAsync();
}
