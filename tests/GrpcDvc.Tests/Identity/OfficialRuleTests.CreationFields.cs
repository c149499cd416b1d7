using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Officials;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// A refused creation names the field at fault: the administrator's form highlights that field
/// (the gRPC edge renames agency_unit_code to agency_code and passes the others through).
/// </summary>
public sealed partial class OfficialRuleTests
{
    [Fact]
    public async Task Create_InvalidInput_IsRefusedOnTheFieldAtFault()
    {
        var admin = await AdminAsync();

        Assert.Equal((IdentityReasons.UsernameInvalid, "username"), await CreationRefusalAsync(admin, Official("9.so.dau")));
        // Blank is not a name even though it is far shorter than the 200-character limit.
        Assert.Equal((IdentityReasons.NameInvalid, "full_name"), await CreationRefusalAsync(admin, Official("ten.trang") with { FullName = "   " }));
        Assert.Equal((IdentityReasons.AgencyUnitInvalid, "agency_unit_code"), await CreationRefusalAsync(admin, Official("don.vi.sai") with { AgencyUnitCode = "P34 01" }));
        Assert.Equal((IdentityReasons.RolesInvalid, "roles"), await CreationRefusalAsync(admin, Official("vai.cong.dan") with { Roles = [Role.Citizen] }));
        Assert.False(await ExistsAsync("ten.trang"));
    }

    [Fact]
    public async Task Create_UsernameTaken_IsAlreadyExists_OnTheUsernameField()
    {
        var admin = await AdminAsync();
        await CreateAsync(admin, "trung.ten", Role.IntakeOfficer);

        var taken = await AdministrationAsync(a => a.CreateAsync(admin, Official("trung.ten", Role.Auditor), Client, CancellationToken.None));

        Assert.Equal((FailureKind.AlreadyExists, IdentityReasons.UsernameTaken, "username"), (taken.Failure!.Kind, taken.Failure.Reason, taken.Failure.Field));
    }

    [Fact]
    public async Task Create_RetriedByAnotherAdministrator_IsRefusedOnTheRequestIdField_WithoutTheFirstUri()
    {
        // The answer to a retry carries the official's TOTP seed: only the administrator who made
        // the request may have it again, even when the other one names the same username.
        var admin = await AdminAsync();
        var other = await CallerAsync(await CreateAsync(admin, "qt.khac", Role.Administrator));
        var request = Official("nhan.ban") with { ClientRequestId = "tao-nhan-ban" };
        Assert.True((await AdministrationAsync(a => a.CreateAsync(admin, request, Client, CancellationToken.None))).Succeeded);

        var replayed = await AdministrationAsync(a => a.CreateAsync(other, request, Client, CancellationToken.None));

        Assert.False(replayed.Succeeded);
        Assert.Equal((IdentityReasons.ClientRequestIdReused, "client_request_id"), (replayed.Failure!.Reason, replayed.Failure.Field));
    }

    private async Task<(string? Reason, string? Field)> CreationRefusalAsync(CallerIdentity admin, NewOfficial official)
    {
        var refused = await AdministrationAsync(a => a.CreateAsync(admin, official, Client, CancellationToken.None));
        return (refused.Failure?.Reason, refused.Failure?.Field);
    }
}
