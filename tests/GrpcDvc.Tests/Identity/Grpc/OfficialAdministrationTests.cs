using System.Text.RegularExpressions;
using Grpc.Core;
using GrpcDvc.Client;
using GrpcDvc.Contracts.Audit.V1;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Contracts.Identity.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.SignIn;
using GrpcDvc.Server.Identity.Tokens;
using GrpcDvc.Server.Storage;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace GrpcDvc.Tests.Identity.Grpc;

/// <summary>
/// Administrators' changes to officials (SetOfficialRoles, DisableOfficial, EnableOfficial,
/// ReenrolOfficialTotp) over gRPC on the real server and database, with officials created by
/// CreateOfficial and signing in with their real password and TOTP; run once per provider.
/// </summary>
public abstract partial class OfficialAdministrationTests : IAsyncLifetime
{
    private const string AdminPassword = "quan-tri-vien-2026";
    private const string AdminTotpSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    private const string OfficialPassword = "can-bo-cong-an-2026";

    private InProcessServer _server = null!;

    private IdentityService.IdentityServiceClient Identity => new(_server.Channel);

    public async Task InitializeAsync()
        => _server = await InProcessServer.StartAsync(
            await DatabaseAsync(),
            "--Dvc:Identity:Bootstrap:Username=admin",
            $"--Dvc:Identity:Bootstrap:Password={AdminPassword}",
            $"--Dvc:Identity:Bootstrap:TotpSecret={AdminTotpSecret}");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    protected abstract Task<string?> DatabaseAsync();

    [Fact]
    public async Task SetOfficialRoles_ByAnAdministratorOfTheOfficialsUnit_ReplacesTheRoles_EndsTheirSessions_AndARetryChangesNothing()
    {
        var national = await NationalAdminAsync();
        var hanoiAdmin = await CreateAndSignInAsync(national, "quantri.hanoi", "P34-01", Role.Administrator);
        var official = await CreateAndSignInAsync(national, "canbo.hanoi", "P34-01", Role.IntakeOfficer);
        var request = new SetOfficialRolesRequest { OfficialId = official.Id, Roles = { Role.ProcessingOfficer, Role.Auditor, Role.Auditor } };

        var first = await Identity.SetOfficialRolesAsync(request, Bearer(hanoiAdmin.Token));
        var retry = await Identity.SetOfficialRolesAsync(request, Bearer(hanoiAdmin.Token));
        var oldToken = await Assert.ThrowsAsync<RpcException>(() => WhoAmIAsync(official.Token));
        var again = await SignInAsync("canbo.hanoi", official.Secret, stepsAhead: 1);

        Assert.Equal([Role.ProcessingOfficer, Role.Auditor], first.Official.Roles);
        Assert.Equal((official.Id, "canbo.hanoi", "P34-01", false), (first.Official.AccountId, first.Official.Username, first.Official.AgencyCode, first.Official.Disabled));
        Assert.Equal(first, retry);
        Assert.Equal((StatusCode.Unauthenticated, AccessReasons.SessionEnded), (oldToken.StatusCode, oldToken.GetErrorInfo()?.Reason));
        Assert.Equal([Role.ProcessingOfficer, Role.Auditor], again.Caller.Roles);
        var audited = Assert.Single(await ChangesToAsync(official.Id));
        Assert.Equal(
            (SignInMethods.OfficialRolesSet, hanoiAdmin.Guid, "quantri.hanoi", "intake_officer -> processing_officer,auditor", "canbo.hanoi", "127.0.0.1"),
            (audited.Method, audited.ActorAccountId, audited.ActorLogin, audited.Detail, audited.Login, audited.Address));
    }

    [Fact]
    public async Task CreateOfficial_IsAuditedWithItsAdministratorUnitAndRoles_AndARetryAddsNoSecondRow()
    {
        var national = await NationalAdminAsync();

        var official = await CreateAsync(national, "canbo.moi", "P34-01", Role.IntakeOfficer, Role.StationManager);
        var retried = await CreateAsync(national, "canbo.moi", "P34-01", Role.IntakeOfficer, Role.StationManager);

        Assert.Equal(official.Id, retried.Id);
        var created = Assert.Single(await QueryAsync(db => db.Set<SignInAuditRecord>().AsNoTracking()
            .Where(a => a.AccountId == official.Guid && a.Method == SignInMethods.OfficialCreated).ToListAsync()));
        Assert.Equal(
            ("admin", "canbo.moi", "P34-01 intake_officer,station_manager", "create-canbo.moi", "127.0.0.1"),
            (created.ActorLogin, created.Login, created.Detail, created.ClientRequestId, created.Address));
        Assert.NotNull(created.ActorAccountId);
        var bootstrap = Assert.Single(await QueryAsync(db => db.Set<SignInAuditRecord>().AsNoTracking()
            .Where(a => a.Login == "admin" && a.Method == SignInMethods.OfficialCreated).ToListAsync()));
        Assert.Equal(("system", (Guid?)null), (bootstrap.ActorLogin, bootstrap.ActorAccountId));
    }

    [Fact]
    public async Task ListOfficials_ShowsTheCallersUnitsOnly_ByUsername_Paged_FilteredByRole_DisabledOnlyWhenAsked()
    {
        var national = await NationalAdminAsync();
        await CreateAsync(national, "hn.tiepnhan", "P34-01", Role.IntakeOfficer);
        var disabled = await CreateAsync(national, "hn.daxoa", "P34-01", Role.IntakeOfficer);
        await CreateAsync(national, "hn.kiemtra", "P34-01", Role.Auditor);
        await CreateAsync(national, "cb.tiepnhan", "P34-04", Role.IntakeOfficer);
        await Identity.DisableOfficialAsync(new DisableOfficialRequest { OfficialId = disabled.Id }, Bearer(national.AccessToken));
        var hanoiAuditor = Bearer(await Access.TestCallers.OfficialAsync(_server, "P34-01", Role.Auditor));

        var first = await Identity.ListOfficialsAsync(new ListOfficialsRequest { Page = new() { PageSize = 1 } }, hanoiAuditor);
        var rest = await Identity.ListOfficialsAsync(new ListOfficialsRequest { Page = new() { PageSize = 10, PageToken = first.Page.NextPageToken } }, hanoiAuditor);
        var intake = await Identity.ListOfficialsAsync(new ListOfficialsRequest { Role = Role.IntakeOfficer, IncludeDisabled = true }, hanoiAuditor);
        var elsewhere = await Assert.ThrowsAsync<RpcException>(() => Identity.ListOfficialsAsync(new ListOfficialsRequest { AgencyCode = "P34-04" }, hanoiAuditor).ResponseAsync);
        var forged = await Assert.ThrowsAsync<RpcException>(() => Identity.ListOfficialsAsync(
            new ListOfficialsRequest { Role = Role.Auditor, Page = new() { PageToken = first.Page.NextPageToken } }, hanoiAuditor).ResponseAsync);

        var listed = first.Officials.Concat(rest.Officials).Select(o => o.Username).Where(u => u.StartsWith("hn.", StringComparison.Ordinal)).ToList();
        Assert.Equal(["hn.kiemtra", "hn.tiepnhan"], listed);
        Assert.Single(first.Officials);
        Assert.Empty(rest.Page.NextPageToken);
        Assert.DoesNotContain(first.Officials.Concat(rest.Officials), o => o.AgencyCode != "P34-01");
        Assert.Equal(["hn.daxoa", "hn.tiepnhan"], intake.Officials.Select(o => o.Username).Where(u => u.StartsWith("hn.", StringComparison.Ordinal)));
        Assert.True(intake.Officials.Single(o => o.Username == "hn.daxoa").Disabled);
        Assert.Equal(StatusCode.PermissionDenied, elsewhere.StatusCode);
        Assert.Equal(("page.page_token", StatusCode.InvalidArgument), (forged.GetBadRequest()?.FieldViolations.Single().Field, forged.StatusCode));
    }

    [Fact]
    public async Task DisableOfficial_EndsTheirSessionAtOnce_RefusesTheirSignIn_AndEnableLetsThemBackIn_RetriesChangingNothing()
    {
        var national = await NationalAdminAsync();
        var official = await CreateAsync(national, "canbo.disabled", "P34-01", Role.IntakeOfficer);
        // A session as a sign-in leaves it (the server's own TokenService), so the sign-in refused below can spend this step's code.
        var session = await SessionOfAsync(official.Guid);

        var disabled = await Identity.DisableOfficialAsync(new DisableOfficialRequest { OfficialId = official.Id }, Bearer(national.AccessToken));
        var disabledAgain = await Identity.DisableOfficialAsync(new DisableOfficialRequest { OfficialId = official.Id }, Bearer(national.AccessToken));
        var oldToken = await Assert.ThrowsAsync<RpcException>(() => WhoAmIAsync(session.AccessToken));
        var refresh = await Assert.ThrowsAsync<RpcException>(() => Identity.RefreshTokensAsync(new RefreshTokensRequest { RefreshToken = session.RefreshToken }).ResponseAsync);
        var signIn = await Assert.ThrowsAsync<RpcException>(() => SignInAsync("canbo.disabled", official.Secret));
        var enabled = await Identity.EnableOfficialAsync(new EnableOfficialRequest { OfficialId = official.Id }, Bearer(national.AccessToken));
        var enabledAgain = await Identity.EnableOfficialAsync(new EnableOfficialRequest { OfficialId = official.Id }, Bearer(national.AccessToken));
        var back = await SignInAsync("canbo.disabled", official.Secret, stepsAhead: 1);

        Assert.True(disabled.Official.Disabled);
        Assert.Equal(disabled, disabledAgain);
        Assert.Equal((StatusCode.Unauthenticated, AccessReasons.SessionEnded), (oldToken.StatusCode, oldToken.GetErrorInfo()?.Reason));
        Assert.Equal((StatusCode.Unauthenticated, IdentityReasons.RefreshTokenRevoked), (refresh.StatusCode, refresh.GetErrorInfo()?.Reason));
        Assert.Equal((StatusCode.PermissionDenied, IdentityReasons.AccountDisabled), (signIn.StatusCode, signIn.GetErrorInfo()?.Reason));
        // The official is told why, not only refused: their desk shows this text.
        Assert.Contains("disabled", signIn.Status.Detail, StringComparison.Ordinal);
        Assert.False(enabled.Official.Disabled);
        Assert.Equal(enabled, enabledAgain);
        Assert.Equal(official.Id, (await WhoAmIAsync(back.AccessToken)).Caller.AccountId);
        Assert.Equal(
            [(SignInMethods.OfficialDisabled, "admin"), (SignInMethods.OfficialEnabled, "admin")],
            (await ChangesToAsync(official.Guid)).Select(c => (c.Method, c.ActorLogin)));
    }

    [Fact]
    public async Task ReenrolOfficialTotp_TheOldSeedFails_TheNewOneWorks_SessionsEnd_AndARetryGetsTheSameUri()
    {
        var national = await NationalAdminAsync();
        var official = await CreateAndSignInAsync(national, "canbo.dienthoai", "P34-01", Role.IntakeOfficer);
        var request = new ReenrolOfficialTotpRequest { ClientRequestId = "reenrol-1", OfficialId = official.Id };

        var first = await Identity.ReenrolOfficialTotpAsync(request, Bearer(national.AccessToken));
        var retry = await Identity.ReenrolOfficialTotpAsync(request, Bearer(national.AccessToken));
        var newSecret = SecretOf(first.TotpProvisioningUri);
        var oldToken = await Assert.ThrowsAsync<RpcException>(() => WhoAmIAsync(official.Token));
        var oldSeed = await Assert.ThrowsAsync<RpcException>(() => SignInAsync("canbo.dienthoai", official.Secret, stepsAhead: 1));
        var newSeed = await SignInAsync("canbo.dienthoai", newSecret);

        Assert.Equal(first, retry);
        Assert.Equal(official.Id, first.OfficialId);
        Assert.NotEqual(official.Secret, newSecret);
        Assert.Equal((StatusCode.Unauthenticated, AccessReasons.SessionEnded), (oldToken.StatusCode, oldToken.GetErrorInfo()?.Reason));
        Assert.Equal((StatusCode.Unauthenticated, IdentityReasons.InvalidCredentials), (oldSeed.StatusCode, oldSeed.GetErrorInfo()?.Reason));
        Assert.Equal(official.Id, newSeed.Caller.AccountId);
        var audited = Assert.Single(await ChangesToAsync(official.Guid));
        Assert.Equal((SignInMethods.OfficialTotpReenrolled, "admin", null), (audited.Method, audited.ActorLogin, audited.Detail));

        // A later re-enrolment replaces that seed: the first request's retry is refused rather than answered with a dead seed or a third one.
        var second = await Identity.ReenrolOfficialTotpAsync(new ReenrolOfficialTotpRequest { ClientRequestId = "reenrol-2", OfficialId = official.Id }, Bearer(national.AccessToken));
        var stale = await Assert.ThrowsAsync<RpcException>(() => Identity.ReenrolOfficialTotpAsync(request, Bearer(national.AccessToken)).ResponseAsync);

        Assert.NotEqual(first.TotpProvisioningUri, second.TotpProvisioningUri);
        Assert.Equal((StatusCode.FailedPrecondition, IdentityReasons.TotpEnrolmentSuperseded), (stale.StatusCode, stale.GetErrorInfo()?.Reason));
        Assert.Equal(2, (await ChangesToAsync(official.Guid)).Count);
    }

    [Fact]
    public async Task AdministrationChanges_AppearInQuerySignIns_ToTheUnitsAuditor_WithWhoDidWhatToWhom_AndNoSecret()
    {
        var national = await NationalAdminAsync();
        var official = await CreateAsync(national, "canbo.kiemtra", "P34-01", Role.IntakeOfficer);
        var admin = Bearer(national.AccessToken);
        await Identity.SetOfficialRolesAsync(new SetOfficialRolesRequest { OfficialId = official.Id, Roles = { Role.ApprovingLeader } }, admin);
        await Identity.DisableOfficialAsync(new DisableOfficialRequest { OfficialId = official.Id }, admin);
        await Identity.EnableOfficialAsync(new EnableOfficialRequest { OfficialId = official.Id }, admin);
        var reenrolment = new ReenrolOfficialTotpRequest { ClientRequestId = "reenrol-audit", OfficialId = official.Id };
        var uri = (await Identity.ReenrolOfficialTotpAsync(reenrolment, admin)).TotpProvisioningUri;
        await Identity.ReenrolOfficialTotpAsync(reenrolment, admin);
        var hanoiAuditor = await Access.TestCallers.OfficialAsync(_server, "P34-01", Role.Auditor);
        var caoBangAuditor = await Access.TestCallers.OfficialAsync(_server, "P34-04", Role.Auditor);
        var audit = new AuditService.AuditServiceClient(_server.Channel);

        var seen = await audit.QuerySignInsAsync(new QuerySignInsRequest { Account = "canbo.kiemtra" }, Bearer(hanoiAuditor));
        var byTheAdministrator = await audit.QuerySignInsAsync(new QuerySignInsRequest { Account = "admin" }, Bearer(hanoiAuditor));
        var elsewhere = await audit.QuerySignInsAsync(new QuerySignInsRequest { Account = "canbo.kiemtra" }, Bearer(caoBangAuditor));

        Assert.Equal(
            [
                ("official_totp_reenrolled", "admin", ""),
                ("official_enabled", "admin", ""),
                ("official_disabled", "admin", ""),
                ("official_roles_set", "admin", "intake_officer -> approving_leader"),
                ("official_created", "admin", "P34-01 intake_officer"),
            ],
            seen.Entries.Select(e => (e.Method, e.Actor, e.Detail)));
        Assert.All(seen.Entries, e => Assert.Equal(("canbo.kiemtra", true), (e.Account, e.Succeeded)));
        Assert.Equal(seen.Entries, byTheAdministrator.Entries);
        Assert.Empty(elsewhere.Entries);
        var seed = Regex.Match(uri, "secret=([A-Z2-7]+)").Groups[1].Value;
        var rows = await QueryAsync(db => db.Set<SignInAuditRecord>().AsNoTracking().ToListAsync());
        Assert.DoesNotContain(rows, r => $"{r.Login}|{r.ActorLogin}|{r.Detail}|{r.Reason}|{r.ClientRequestId}|{r.UserAgent}".Contains(seed, StringComparison.OrdinalIgnoreCase));
    }

    private async Task<TokenResponse> NationalAdminAsync() => await SignInAsync("admin", Base32Encoding.ToBytes(AdminTotpSecret));

    /// <summary>An official created by the national administrator through CreateOfficial, with the seed of the URI it returned.</summary>
    private async Task<Official> CreateAsync(TokenResponse admin, string username, string unit, params Role[] roles)
    {
        var created = await Identity.CreateOfficialAsync(new CreateOfficialRequest
        {
            ClientRequestId = "create-" + username,
            Username = username,
            FullName = "Nguyễn Thị Cán Bộ",
            AgencyCode = unit,
            Roles = { roles },
            InitialPassword = OfficialPassword,
        }, Bearer(admin.AccessToken));
        return new Official(created.AccountId, SecretOf(created.TotpProvisioningUri), string.Empty);
    }

    private async Task<Official> CreateAndSignInAsync(TokenResponse admin, string username, string unit, params Role[] roles)
    {
        var official = await CreateAsync(admin, username, unit, roles);
        return official with { Token = (await SignInAsync(username, official.Secret)).AccessToken };
    }

    /// <param name="stepsAhead">1 for the next 30-second step's code: a code is spent once, and the drift window accepts the next one.</param>
    private Task<TokenResponse> SignInAsync(string username, byte[] secret, int stepsAhead = 0)
        => SignInAsync(username, OfficialPasswordFor(username), new Totp(secret).ComputeTotp(DateTime.UtcNow.AddSeconds(30 * stepsAhead)));

    private Task<TokenResponse> SignInAsync(string username, string password, string code)
        => Identity.SignInOfficialAsync(new SignInOfficialRequest { Username = username, Password = password, TotpCode = code }).ResponseAsync;

    private static string OfficialPasswordFor(string username) => username == "admin" ? AdminPassword : OfficialPassword;

    private Task<WhoAmIResponse> WhoAmIAsync(string token) => Identity.WhoAmIAsync(new WhoAmIRequest(), Bearer(token)).ResponseAsync;

    private async Task<TokenPair> SessionOfAsync(Guid officialId)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
        var account = await db.Set<OfficialAccountRecord>().Include(a => a.Roles).SingleAsync(a => a.Id == officialId);
        return (await scope.ServiceProvider.GetRequiredService<TokenService>().IssueAsync(account, CancellationToken.None)).Tokens;
    }

    /// <summary>The audit rows of administrators' changes to an official, oldest first.</summary>
    private Task<List<SignInAuditRecord>> ChangesToAsync(string officialId) => ChangesToAsync(Guid.Parse(officialId));

    /// <summary>Administrators' changes to an official after its creation (CreateOfficial_IsAudited proves the creation's row).</summary>
    private Task<List<SignInAuditRecord>> ChangesToAsync(Guid officialId)
        => QueryAsync(db => db.Set<SignInAuditRecord>().AsNoTracking()
            .Where(a => a.AccountId == officialId && a.ActorAccountId != null && a.Method != SignInMethods.OfficialCreated).OrderBy(a => a.Id).ToListAsync());

    private async Task<T> QueryAsync<T>(Func<DvcDbContext, Task<T>> query)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<DvcDbContext>());
    }

    private static byte[] SecretOf(string otpauthUri) => Base32Encoding.ToBytes(Regex.Match(otpauthUri, "secret=([A-Z2-7]+)").Groups[1].Value);

    private static CallOptions Bearer(string accessToken) => new(new Metadata { { "authorization", "Bearer " + accessToken } });

    /// <param name="Token">An access token of the official's own sign-in; empty until they sign in.</param>
    private sealed record Official(string Id, byte[] Secret, string Token)
    {
        public Guid Guid => Guid.Parse(Id);
    }
}

public sealed class OfficialAdministrationOnSqliteTests : OfficialAdministrationTests
{
    protected override Task<string?> DatabaseAsync() => Task.FromResult<string?>(null);
}

[Collection(PostgresCollection.Name)]
public sealed class OfficialAdministrationOnPostgresTests(PostgresCluster cluster) : OfficialAdministrationTests
{
    protected override async Task<string?> DatabaseAsync() => await cluster.CreateDatabaseAsync();
}
