using Grpc.Core;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Contracts.Identity.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.Officials;
using GrpcDvc.Server.Identity.SignIn;
using GrpcDvc.Server.Identity.Tokens;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// CreateOfficial on the service object: the unit check it makes before the use case, the roles it
/// passes once each, the contract's field names in refusals, and the client it hands the audit.
/// </summary>
public sealed partial class IdentityRpcTests
{
    private const string AdminUnit = "P34-01";

    [Fact]
    public async Task CreateOfficial_InTheAdministratorsUnit_AnswersACanonicalIdAndTheSeed_RolesOnceEach_AuditedWithTheClient()
    {
        var admin = await UnitAdministratorAsync();

        var created = await CallAsync((s, c) => s.CreateOfficial(NewOfficial("can.bo.moi", AdminUnit, Role.IntakeOfficer, Role.IntakeOfficer, Role.Auditor), c), admin);

        Assert.Equal(Guid.Parse(created.AccountId).ToString("D"), created.AccountId);
        Assert.StartsWith("otpauth://totp/", created.TotpProvisioningUri, StringComparison.Ordinal);
        Assert.Contains("can.bo.moi", created.TotpProvisioningUri, StringComparison.Ordinal);
        var roles = await Harness.QueryAsync(db => db.Set<OfficialRoleRecord>().Where(r => r.OfficialId == Guid.Parse(created.AccountId)).Select(r => r.Role).ToListAsync());
        Assert.Equal(["auditor", "intake_officer"], roles.Order(StringComparer.Ordinal));
        var audit = await Harness.QueryAsync(db => db.Set<SignInAuditRecord>().SingleAsync(a => a.Login == "can.bo.moi"));
        Assert.Equal(("203.0.113.9", "identity-rpc-tests", admin.AccountId), (audit.Address, audit.UserAgent, audit.ActorAccountId));
    }

    [Fact]
    public async Task CreateOfficial_InAUnitOutsideTheAdministrators_IsPermissionDenied_AndCreatesNothing()
    {
        var admin = await UnitAdministratorAsync();

        var refused = await Assert.ThrowsAsync<RpcException>(() => CallAsync((s, c) => s.CreateOfficial(NewOfficial("ngoai.don.vi", "P01-01", Role.IntakeOfficer), c), admin));

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.False(await Harness.QueryAsync(db => db.Set<OfficialAccountRecord>().AnyAsync(a => a.Username == "ngoai.don.vi")));
    }

    [Theory]
    [InlineData("Sai Ten", AdminUnit, "Ba con mèo trèo cây cau 2026", "username", IdentityReasons.UsernameInvalid)]
    [InlineData("khong.don.vi", "", "Ba con mèo trèo cây cau 2026", "agency_code", IdentityReasons.AgencyUnitInvalid)] // no unit: the domain says so, not the scope check
    [InlineData("mat.khau.yeu", AdminUnit, "123456", "initial_password", IdentityReasons.PasswordTooWeak)]
    public async Task CreateOfficial_RefusesABadField_ByTheContractsName(string username, string unit, string password, string field, string reason)
    {
        var admin = await UnitAdministratorAsync();
        var request = NewOfficial(username, unit, Role.IntakeOfficer);
        request.InitialPassword = password;

        var refused = await Assert.ThrowsAsync<RpcException>(() => CallAsync((s, c) => s.CreateOfficial(request, c), admin));

        AssertInvalid(refused, field, reason);
    }

    private static CreateOfficialRequest NewOfficial(string username, string unit, params Role[] roles) => new()
    {
        Username = username, FullName = "Cán bộ " + username, AgencyCode = unit, InitialPassword = "Ba con mèo trèo cây cau 2026", Roles = { roles },
        ClientRequestId = Guid.NewGuid().ToString(),
    };

    /// <summary>An administrator of one provincial unit, bootstrapped into the database and signed in as a caller.</summary>
    private async Task<CallerIdentity> UnitAdministratorAsync()
    {
        var created = await Harness.RunAsync<OfficialAdministration, IdentityResult<OfficialEnrolled>?>(a => a.BootstrapAsync(
            new NewOfficial("quan.tri.tinh", "Quản trị tỉnh", AdminUnit, [Role.Administrator], "Ba con mèo trèo cây cau 2026"), CancellationToken.None));
        var id = created!.Value.Value.OfficialId;
        return await Harness.QueryAsync(async db => Callers.For(await db.Set<OfficialAccountRecord>().Include(a => a.Roles).SingleAsync(a => a.Id == id), Guid.NewGuid()));
    }
}
