using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.SignIn;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// Administrators' changes at the use case: what a dropped role leaves, and the refusals' kind,
/// reason and field (the client reads the field to know which input to fix).
/// </summary>
public sealed partial class OfficialRuleTests
{
    [Fact]
    public async Task SetRoles_DroppingARole_DeletesItsRow_AndAuditsBeforeAndAfter()
    {
        var admin = await AdminAsync();
        var official = await CreateAsync(admin, "bot.vai", Role.IntakeOfficer, Role.ProcessingOfficer);

        var changed = await ChangesAsync(c => c.SetRolesAsync(admin, official, [Role.ProcessingOfficer], Client, CancellationToken.None));

        Assert.Equal([Role.ProcessingOfficer], changed.Value.Roles);
        var stored = await Harness.QueryAsync(db => db.Set<OfficialRoleRecord>().Where(r => r.OfficialId == official).Select(r => r.Role).ToListAsync());
        Assert.Equal(["processing_officer"], stored);
        var audited = await Harness.QueryAsync(db => db.Set<SignInAuditRecord>().SingleAsync(a => a.AccountId == official && a.Method == SignInMethods.OfficialRolesSet));
        Assert.Equal((admin.AccountId, "quan.tri", "bot.vai", "intake_officer,processing_officer -> processing_officer"),
            (audited.ActorAccountId, audited.ActorLogin, audited.Login, audited.Detail));
    }

    [Fact]
    public async Task Changes_ToAnUnknownOfficial_AreNotFound_OnTheOfficialIdField()
    {
        var admin = await AdminAsync();
        var unknown = Guid.NewGuid();

        IdentityFailure?[] failures =
        [
            (await ChangesAsync(c => c.SetRolesAsync(admin, unknown, [Role.Auditor], Client, CancellationToken.None))).Failure,
            (await ChangesAsync(c => c.SetDisabledAsync(admin, unknown, true, Client, CancellationToken.None))).Failure,
            (await ChangesAsync(c => c.ReenrolTotpAsync(admin, unknown, "khong-co", Client, CancellationToken.None))).Failure,
        ];

        Assert.All(failures, f => Assert.Equal((FailureKind.NotFound, IdentityReasons.OfficialNotFound, "official_id"), (f!.Kind, f.Reason, f.Field)));
    }

    [Fact]
    public async Task Changes_AnAdministratorMayNotMakeToThemselves_AreRefusedOnTheOfficialIdField()
    {
        var admin = await AdminAsync();
        var self = admin.AccountId;

        var demotion = (await ChangesAsync(c => c.SetRolesAsync(admin, self, [Role.Auditor], Client, CancellationToken.None))).Failure!;
        var disabling = (await ChangesAsync(c => c.SetDisabledAsync(admin, self, true, Client, CancellationToken.None))).Failure!;
        var reenrolment = (await ChangesAsync(c => c.ReenrolTotpAsync(admin, self, "tu-doi", Client, CancellationToken.None))).Failure!;

        Assert.Equal((FailureKind.FailedPrecondition, IdentityReasons.AdministratorSelfDemotion, "official_id"), (demotion.Kind, demotion.Reason, demotion.Field));
        Assert.Equal((FailureKind.FailedPrecondition, IdentityReasons.AdministratorSelfDisable, "official_id"), (disabling.Kind, disabling.Reason, disabling.Field));
        Assert.Equal((FailureKind.FailedPrecondition, IdentityReasons.AdministratorSelfReenrolment, "official_id"), (reenrolment.Kind, reenrolment.Reason, reenrolment.Field));
    }

    [Fact]
    public async Task Reenrol_WithAnotherAdministratorsRequestId_IsRefusedOnTheRequestIdField_AndKeepsTheSeed()
    {
        // The retry's answer is the official's new seed: the other administrator gets neither it nor a third seed.
        var admin = await AdminAsync();
        var other = await CallerAsync(await CreateAsync(admin, "qt.thu.hai", Role.Administrator));
        var official = await CreateAsync(admin, "mat.may", Role.IntakeOfficer);
        Assert.True((await ChangesAsync(c => c.ReenrolTotpAsync(admin, official, "mat-may-1", Client, CancellationToken.None))).Succeeded);
        var seed = await SeedAsync(official);

        var reused = await ChangesAsync(c => c.ReenrolTotpAsync(other, official, "mat-may-1", Client, CancellationToken.None));

        Assert.Equal((IdentityReasons.ClientRequestIdReused, "client_request_id"), (reused.Failure?.Reason, reused.Failure?.Field));
        Assert.Equal(seed, await SeedAsync(official));
    }

    [Fact]
    public async Task Reenrol_RetryOfARequestALaterOneReplaced_IsAFailedPreconditionOnTheRequestIdField()
    {
        var admin = await AdminAsync();
        var official = await CreateAsync(admin, "doi.hai.lan", Role.IntakeOfficer);
        Assert.True((await ChangesAsync(c => c.ReenrolTotpAsync(admin, official, "lan-1", Client, CancellationToken.None))).Succeeded);
        Assert.True((await ChangesAsync(c => c.ReenrolTotpAsync(admin, official, "lan-2", Client, CancellationToken.None))).Succeeded);

        var stale = (await ChangesAsync(c => c.ReenrolTotpAsync(admin, official, "lan-1", Client, CancellationToken.None))).Failure!;

        Assert.Equal((FailureKind.FailedPrecondition, IdentityReasons.TotpEnrolmentSuperseded, "client_request_id"), (stale.Kind, stale.Reason, stale.Field));
    }
}
