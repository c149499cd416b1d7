using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.Officials;
using GrpcDvc.Server.Identity.SignIn;
using GrpcDvc.Server.Identity.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// The officials' administration rules at the use cases, on SQLite: who may administer, what a
/// creation checks, the bootstrap and the demo seeding, role and state changes, re-enrolment's
/// request ids, and the directory's filters and pages.
/// </summary>
public sealed partial class OfficialRuleTests : OnIdentityHarness
{
    private const string Unit = "P34-01";
    private const string Password = "Ba con mèo trèo cây cau 2026";
    private static readonly ClientContext Client = new("203.0.113.9");

    [Fact]
    public async Task Create_ByAnOfficialWhoIsNotAnAdministrator_IsPermissionDenied_WhateverTheRpcPolicySays()
    {
        var admin = await AdminAsync();
        var officer = await CallerAsync(await CreateAsync(admin, "can.bo", Role.IntakeOfficer));

        var refused = await AdministrationAsync(a => a.CreateAsync(officer, Official("lam.quyen"), Client, CancellationToken.None));

        Assert.Equal((FailureKind.PermissionDenied, IdentityReasons.PermissionDenied), (refused.Failure?.Kind, refused.Failure?.Reason));
        Assert.False(await ExistsAsync("lam.quyen"));
    }

    [Fact]
    public async Task Bootstrap_WhenOnlyOfficialsOfOtherRolesExist_CreatesTheAdministrator_AuditedAsStartUp_AndOnlyOnce()
    {
        var seeded = await AdministrationAsync(a => a.SeedDemoAsync(Official("demo.tiepnhan"), new PasswordHasher(Harness.Services.GetRequiredService<IdentityOptions>()).Hash(Password), new byte[20], CancellationToken.None));
        Assert.True(seeded?.Succeeded);

        var first = await AdministrationAsync(a => a.BootstrapAsync(Official("quan.tri"), CancellationToken.None));
        var second = await AdministrationAsync(a => a.BootstrapAsync(Official("quan.tri.2"), CancellationToken.None));

        Assert.True(first?.Succeeded);
        Assert.Null(second);
        var audit = await Harness.QueryAsync(db => db.Set<SignInAuditRecord>().SingleAsync(a => a.Login == "quan.tri" && a.Method == SignInMethods.OfficialCreated));
        Assert.Equal($"start-up; {Unit} administrator", audit.Detail);
    }

    [Fact]
    public async Task SeedDemo_OfAUsernameThatExists_IsNull_NotAFailure()
    {
        var hash = new PasswordHasher(Harness.Services.GetRequiredService<IdentityOptions>()).Hash(Password);

        Assert.True((await AdministrationAsync(a => a.SeedDemoAsync(Official("demo.lanhdao"), hash, new byte[20], CancellationToken.None)))?.Succeeded);
        Assert.Null(await AdministrationAsync(a => a.SeedDemoAsync(Official("demo.lanhdao"), hash, new byte[20], CancellationToken.None)));
    }

    [Fact]
    public async Task Create_RequestIdAlreadyUsedForAnotherUsername_IsRefused_AndCreatesNothing()
    {
        var admin = await AdminAsync();
        Assert.True((await AdministrationAsync(a => a.CreateAsync(admin, Official("a.nguyen") with { ClientRequestId = "req-1" }, Client, CancellationToken.None))).Succeeded);

        var reused = await AdministrationAsync(a => a.CreateAsync(admin, Official("b.tran") with { ClientRequestId = "req-1" }, Client, CancellationToken.None));

        Assert.Equal(IdentityReasons.ClientRequestIdReused, reused.Failure?.Reason);
        Assert.False(await ExistsAsync("b.tran"));
    }

    [Fact]
    public async Task Create_FullNameOf200Characters_IsAccepted_201IsNot()
    {
        var admin = await AdminAsync();

        var fits = await AdministrationAsync(a => a.CreateAsync(admin, Official("dai.ten") with { FullName = new string('A', 200) }, Client, CancellationToken.None));
        var tooLong = await AdministrationAsync(a => a.CreateAsync(admin, Official("dai.ten.hon") with { FullName = new string('A', 201) }, Client, CancellationToken.None));

        Assert.True(fits.Succeeded);
        Assert.Equal(IdentityReasons.NameInvalid, tooLong.Failure?.Reason);
    }

    [Fact]
    public async Task Create_ChecksTheRolesFirst_ThenThePasswordPolicy()
    {
        var admin = await AdminAsync();

        var weak = await AdministrationAsync(a => a.CreateAsync(admin, Official("yeu.mk") with { InitialPassword = "123456" }, Client, CancellationToken.None));
        var noRoles = await AdministrationAsync(a => a.CreateAsync(admin, Official("khong.vai") with { Roles = [] }, Client, CancellationToken.None));
        var both = await AdministrationAsync(a => a.CreateAsync(admin, Official("ca.hai") with { Roles = [Role.Citizen], InitialPassword = "123456" }, Client, CancellationToken.None));

        Assert.Equal((IdentityReasons.PasswordTooWeak, IdentityReasons.RolesInvalid, IdentityReasons.RolesInvalid), (weak.Failure?.Reason, noRoles.Failure?.Reason, both.Failure?.Reason));
        Assert.False(await ExistsAsync("yeu.mk"));
    }

    [Fact]
    public async Task SetRoles_KeepingOneAndAddingOne_EndsWithBoth()
    {
        var admin = await AdminAsync();
        var official = await CreateAsync(admin, "hai.vai", Role.IntakeOfficer);

        var changed = await ChangesAsync(c => c.SetRolesAsync(admin, official, [Role.IntakeOfficer, Role.ProcessingOfficer], Client, CancellationToken.None));

        Assert.True(changed.Succeeded, changed.Failure?.Reason);
        Assert.Equal([Role.IntakeOfficer, Role.ProcessingOfficer], changed.Value.Roles.Order());
        var stored = await Harness.QueryAsync(db => db.Set<OfficialRoleRecord>().Where(r => r.OfficialId == official).Select(r => r.Role).ToListAsync());
        Assert.Equal(["intake_officer", "processing_officer"], stored.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Disable_AnAccountAlreadyDisabled_StillEndsItsSessions_EnablingAnEnabledOneKeepsThem()
    {
        var admin = await AdminAsync();
        var disabledElsewhere = await CreateAsync(admin, "da.khoa", Role.IntakeOfficer);
        var enabled = await CreateAsync(admin, "dang.mo", Role.IntakeOfficer);
        await Harness.QueryAsync(db => db.Set<OfficialAccountRecord>().Where(a => a.Id == disabledElsewhere).ExecuteUpdateAsync(u => u.SetProperty(a => a.Disabled, true)));
        await SessionAsync(disabledElsewhere);
        await SessionAsync(enabled);

        Assert.True((await ChangesAsync(c => c.SetDisabledAsync(admin, disabledElsewhere, true, Client, CancellationToken.None))).Succeeded);
        Assert.True((await ChangesAsync(c => c.SetDisabledAsync(admin, enabled, false, Client, CancellationToken.None))).Succeeded);

        Assert.Equal((0, 1), (await LiveSessionsAsync(disabledElsewhere), await LiveSessionsAsync(enabled)));
    }

    [Fact]
    public async Task Reenrol_RequestIdOf64Characters_IsAccepted_65IsNot()
    {
        var admin = await AdminAsync();
        var official = await CreateAsync(admin, "doi.ma", Role.IntakeOfficer);

        var fits = await ChangesAsync(c => c.ReenrolTotpAsync(admin, official, new string('r', 64), Client, CancellationToken.None));
        var tooLong = await ChangesAsync(c => c.ReenrolTotpAsync(admin, official, new string('r', 65), Client, CancellationToken.None));

        Assert.True(fits.Succeeded, fits.Failure?.Reason);
        Assert.Equal(IdentityReasons.ClientRequestIdInvalid, tooLong.Failure?.Reason);
    }

    [Fact]
    public async Task Reenrol_OneRequestIdForTwoOfficials_GivesEachTheirOwnNewSeed()
    {
        var admin = await AdminAsync();
        var first = await CreateAsync(admin, "thu.nhat", Role.IntakeOfficer);
        var second = await CreateAsync(admin, "thu.hai", Role.IntakeOfficer);
        var secondSeed = await SeedAsync(second);

        var a = await ChangesAsync(c => c.ReenrolTotpAsync(admin, first, "mat-dien-thoai", Client, CancellationToken.None));
        var b = await ChangesAsync(c => c.ReenrolTotpAsync(admin, second, "mat-dien-thoai", Client, CancellationToken.None));

        Assert.True(a.Succeeded && b.Succeeded);
        Assert.Contains("thu.hai", b.Value.TotpUri, StringComparison.Ordinal);
        Assert.NotEqual(secondSeed, await SeedAsync(second));
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task ChangesAndCreation_ByAnAdministratorDisabledOrDemotedSinceSigningIn_ArePermissionDenied(bool disable, bool demote)
    {
        var admin = await AdminAsync();
        var other = await CreateAsync(admin, "qt.hai", Role.Administrator);
        var otherCaller = await CallerAsync(other); // signed in as an administrator
        var official = await CreateAsync(admin, "bi.doi", Role.IntakeOfficer);
        if (disable)
        {
            Assert.True((await ChangesAsync(c => c.SetDisabledAsync(admin, other, true, Client, CancellationToken.None))).Succeeded);
        }

        if (demote)
        {
            Assert.True((await ChangesAsync(c => c.SetRolesAsync(admin, other, [Role.IntakeOfficer], Client, CancellationToken.None))).Succeeded);
        }

        var refused = await ChangesAsync(c => c.SetRolesAsync(otherCaller, official, [Role.Auditor], Client, CancellationToken.None));
        // Creation too: another instance may still take the token, and an official created then could be an administrator.
        var created = await AdministrationAsync(a => a.CreateAsync(otherCaller, Official("ke.moi", Role.Administrator), Client, CancellationToken.None));

        Assert.Equal(IdentityReasons.PermissionDenied, refused.Failure?.Reason);
        Assert.Equal(IdentityReasons.PermissionDenied, created.Failure?.Reason);
        Assert.False(await ExistsAsync("ke.moi"));
    }

    [Fact]
    public async Task Directory_FiltersByAnyOfAnOfficialsRoles_AndPagesAnEvenTotalExactly()
    {
        var admin = await AdminAsync();
        await CreateAsync(admin, "b.hai.vai", Role.IntakeOfficer, Role.ProcessingOfficer);
        await CreateAsync(admin, "c.tiep.nhan", Role.IntakeOfficer);
        await CreateAsync(admin, "d.xu.ly", Role.ProcessingOfficer);

        var processing = await DirectoryAsync(new OfficialFilter(Unit, Role.ProcessingOfficer, false), null, 10);
        Assert.Equal(["b.hai.vai", "d.xu.ly"], processing.Officials.Select(o => o.Username));

        // Four officials of the unit (the administrator too), two to a page: two full pages, then none.
        var first = await DirectoryAsync(new OfficialFilter(Unit, null, false), null, 2);
        var second = await DirectoryAsync(new OfficialFilter(Unit, null, false), first.After, 2);
        Assert.Equal(4, first.Total);
        Assert.Equal(["b.hai.vai", "c.tiep.nhan"], first.Officials.Select(o => o.Username));
        Assert.Equal(["d.xu.ly", "quan.tri"], second.Officials.Select(o => o.Username));
        Assert.Null(second.After);
    }

    [Theory]
    [InlineData("12345a")]
    [InlineData("١٢٣٤٥٦")] // six digits, not ASCII ones
    public void TotpCode_NotSixAsciiDigits_MatchesNoStep(string code)
        => Assert.Null(TotpCode.Match(new byte[20], code, DateTimeOffset.UnixEpoch.AddYears(56)));

    private static NewOfficial Official(string username, params Role[] roles)
        => new(username, "Cán bộ " + username, Unit, roles.Length > 0 ? roles : [Role.IntakeOfficer], Password);

    private async Task<CallerIdentity> AdminAsync()
    {
        var created = await AdministrationAsync(a => a.BootstrapAsync(Official("quan.tri"), CancellationToken.None));
        return await CallerAsync(created!.Value.Value.OfficialId);
    }

    private async Task<Guid> CreateAsync(CallerIdentity admin, string username, params Role[] roles)
    {
        var created = await AdministrationAsync(a => a.CreateAsync(admin, Official(username, roles), Client, CancellationToken.None));
        Assert.True(created.Succeeded, created.Failure?.Reason);
        return created.Value.OfficialId;
    }

    private Task<CallerIdentity> CallerAsync(Guid officialId)
        => Harness.QueryAsync(async db => Callers.For(await db.Set<OfficialAccountRecord>().Include(a => a.Roles).SingleAsync(a => a.Id == officialId), Guid.NewGuid()));

    private Task<TResult> AdministrationAsync<TResult>(Func<OfficialAdministration, Task<TResult>> call) => Harness.RunAsync(call);

    private Task<TResult> ChangesAsync<TResult>(Func<OfficialChanges, Task<TResult>> call) => Harness.RunAsync(call);

    private Task<OfficialPage> DirectoryAsync(OfficialFilter filter, string? after, int size)
        => Harness.RunAsync<OfficialDirectory, OfficialPage>(d => d.ListAsync(filter, after, size, CancellationToken.None));

    private Task<bool> ExistsAsync(string username) => Harness.QueryAsync(db => db.Set<OfficialAccountRecord>().AnyAsync(a => a.Username == username));

    private Task<string> SeedAsync(Guid officialId)
        => Harness.QueryAsync(db => db.Set<OfficialAccountRecord>().Where(a => a.Id == officialId).Select(a => a.TotpSecretSealed).SingleAsync());

    private async Task SessionAsync(Guid officialId)
    {
        await using var scope = Harness.Services.CreateAsyncScope();
        var account = await scope.ServiceProvider.GetRequiredService<Server.Storage.DvcDbContext>().Set<OfficialAccountRecord>().Include(a => a.Roles).SingleAsync(a => a.Id == officialId);
        await scope.ServiceProvider.GetRequiredService<TokenService>().IssueAsync(account, CancellationToken.None);
    }

    private Task<int> LiveSessionsAsync(Guid officialId)
        => Harness.QueryAsync(db => db.Set<RefreshTokenRecord>().CountAsync(t => t.AccountId == officialId && t.RevokedAt == null));
}
