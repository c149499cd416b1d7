using Grpc.Core;
using GrpcDvc.Client;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Contracts.Identity.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Accounts;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Tests.Identity.Grpc;

public abstract partial class OfficialAdministrationTests
{
    [Fact]
    public async Task AdministrationRpcs_ByAnAdministratorOfAnotherUnit_ArePermissionDenied_AndChangeNothing()
    {
        var national = await NationalAdminAsync();
        var caoBangAdmin = await CreateAndSignInAsync(national, "quantri.caobang", "P34-04", Role.Administrator);
        var hanoiAdmin = await CreateAndSignInAsync(national, "quantri.hanoi", "P34-01", Role.Administrator);
        var official = await CreateAsync(national, "canbo.hanoi", "P34-01", Role.IntakeOfficer);
        var nationalId = national.Caller.AccountId;

        var refusals = new List<RpcException>();
        foreach (var call in Calls(official.Id))
        {
            refusals.Add(await Assert.ThrowsAsync<RpcException>(() => call(Bearer(caoBangAdmin.Token))));
        }

        // A unit's administrator does not reach the units above it either.
        foreach (var call in Calls(nationalId))
        {
            refusals.Add(await Assert.ThrowsAsync<RpcException>(() => call(Bearer(hanoiAdmin.Token))));
        }

        Assert.All(refusals, ex => Assert.Equal((StatusCode.PermissionDenied, AccessReasons.OutsideAgency), (ex.StatusCode, ex.GetErrorInfo()?.Reason)));
        var after = await QueryAsync(db => db.Set<OfficialAccountRecord>().Include(a => a.Roles).AsNoTracking().SingleAsync(a => a.Username == "canbo.hanoi"));
        Assert.Equal([Role.IntakeOfficer], after.RoleList());
        Assert.False(after.Disabled);
        Assert.Empty(await ChangesToAsync(official.Id));
        Assert.Empty(await ChangesToAsync(nationalId));
    }

    [Fact]
    public async Task AdministrationRpcs_ByOfficialsOfOtherRolesOrCitizens_ArePermissionDenied_WithoutAToken_Unauthenticated()
    {
        var national = await NationalAdminAsync();
        var official = await CreateAsync(national, "canbo.hanoi", "P34-01", Role.IntakeOfficer);
        var callers = new[]
        {
            await Access.TestCallers.OfficialAsync(_server, "P34-01", Role.Auditor),
            await Access.TestCallers.OfficialAsync(_server, "P34-01", Role.IntakeOfficer, Role.ProcessingOfficer, Role.ApprovingLeader, Role.StationManager),
            await Access.TestCallers.CitizenAsync(_server),
        };

        foreach (var call in Calls(official.Id))
        {
            foreach (var token in callers)
            {
                var denied = await Assert.ThrowsAsync<RpcException>(() => call(Bearer(token)));
                Assert.Equal((StatusCode.PermissionDenied, AccessReasons.RoleNotAllowed), (denied.StatusCode, denied.GetErrorInfo()?.Reason));
            }

            var anonymous = await Assert.ThrowsAsync<RpcException>(() => call(new CallOptions()));
            Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
        }

        Assert.Empty(await ChangesToAsync(official.Id));
    }

    [Fact]
    public async Task AdministrationRpcs_BadInput_IsInvalidArgumentOnTheField_AndAnUnknownOfficialIsNotFound()
    {
        var national = await NationalAdminAsync();
        var official = await CreateAsync(national, "canbo.hanoi", "P34-01", Role.IntakeOfficer);
        var admin = Bearer(national.AccessToken);
        var unknown = Guid.NewGuid().ToString("D");

        (string Field, string? Reason) Violation(RpcException ex)
        {
            Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
            var violation = Assert.Single(ex.GetBadRequest()!.FieldViolations);
            return (violation.Field, ex.GetErrorInfo()?.Reason);
        }

        Assert.Equal(("official_id", IdentityReasons.OfficialIdInvalid), Violation(await Assert.ThrowsAsync<RpcException>(() =>
            Identity.DisableOfficialAsync(new DisableOfficialRequest { OfficialId = "canbo.hanoi" }, admin).ResponseAsync)));
        Assert.Equal(("official_id", IdentityReasons.OfficialIdInvalid), Violation(await Assert.ThrowsAsync<RpcException>(() =>
            Identity.EnableOfficialAsync(new EnableOfficialRequest(), admin).ResponseAsync)));
        Assert.Equal(("roles", IdentityReasons.RolesInvalid), Violation(await Assert.ThrowsAsync<RpcException>(() =>
            Identity.SetOfficialRolesAsync(new SetOfficialRolesRequest { OfficialId = official.Id }, admin).ResponseAsync)));
        Assert.Equal(("roles", IdentityReasons.RolesInvalid), Violation(await Assert.ThrowsAsync<RpcException>(() =>
            Identity.SetOfficialRolesAsync(new SetOfficialRolesRequest { OfficialId = official.Id, Roles = { Role.IntakeOfficer, Role.Citizen } }, admin).ResponseAsync)));
        Assert.Equal(("roles", IdentityReasons.RolesInvalid), Violation(await Assert.ThrowsAsync<RpcException>(() =>
            Identity.SetOfficialRolesAsync(new SetOfficialRolesRequest { OfficialId = official.Id, Roles = { (Role)99 } }, admin).ResponseAsync)));
        Assert.Equal(("client_request_id", IdentityReasons.ClientRequestIdInvalid), Violation(await Assert.ThrowsAsync<RpcException>(() =>
            Identity.ReenrolOfficialTotpAsync(new ReenrolOfficialTotpRequest { OfficialId = official.Id }, admin).ResponseAsync)));
        Assert.Equal(("client_request_id", IdentityReasons.ClientRequestIdInvalid), Violation(await Assert.ThrowsAsync<RpcException>(() =>
            Identity.ReenrolOfficialTotpAsync(new ReenrolOfficialTotpRequest { OfficialId = official.Id, ClientRequestId = new string('x', 65) }, admin).ResponseAsync)));
        foreach (var call in Calls(unknown))
        {
            var missing = await Assert.ThrowsAsync<RpcException>(() => call(admin));
            Assert.Equal((StatusCode.NotFound, IdentityReasons.OfficialNotFound, "official_id"),
                (missing.StatusCode, missing.GetErrorInfo()?.Reason, missing.GetResourceInfo()?.ResourceType));
        }

        Assert.Empty(await ChangesToAsync(official.Id));
    }

    [Fact]
    public async Task Administrator_CannotDemoteDisableOrReenrolThemselves_AnotherAdministratorOfTheUnitCan()
    {
        var national = await NationalAdminAsync();
        var first = await CreateAndSignInAsync(national, "quantri.mot", "P34-01", Role.Administrator);
        var second = await CreateAndSignInAsync(national, "quantri.hai", "P34-01", Role.Administrator, Role.Auditor);
        var self = Bearer(first.Token);

        var demotion = await Assert.ThrowsAsync<RpcException>(() =>
            Identity.SetOfficialRolesAsync(new SetOfficialRolesRequest { OfficialId = first.Id, Roles = { Role.Auditor } }, self).ResponseAsync);
        var disable = await Assert.ThrowsAsync<RpcException>(() =>
            Identity.DisableOfficialAsync(new DisableOfficialRequest { OfficialId = first.Id }, self).ResponseAsync);
        var reenrol = await Assert.ThrowsAsync<RpcException>(() =>
            Identity.ReenrolOfficialTotpAsync(new ReenrolOfficialTotpRequest { ClientRequestId = "self", OfficialId = first.Id }, self).ResponseAsync);
        var stillAdmin = await WhoAmIAsync(first.Token);
        var demotedByAnother = await Identity.SetOfficialRolesAsync(
            new SetOfficialRolesRequest { OfficialId = first.Id, Roles = { Role.Auditor } }, Bearer(second.Token));
        var disabledByAnother = await Identity.DisableOfficialAsync(new DisableOfficialRequest { OfficialId = first.Id }, Bearer(second.Token));

        Assert.Equal((StatusCode.FailedPrecondition, IdentityReasons.AdministratorSelfDemotion), (demotion.StatusCode, demotion.GetErrorInfo()?.Reason));
        Assert.Equal(IdentityReasons.AdministratorSelfDemotion, demotion.GetPreconditionFailure()?.Violations.Single().Type);
        Assert.Equal((StatusCode.FailedPrecondition, IdentityReasons.AdministratorSelfDisable), (disable.StatusCode, disable.GetErrorInfo()?.Reason));
        Assert.Equal((StatusCode.FailedPrecondition, IdentityReasons.AdministratorSelfReenrolment), (reenrol.StatusCode, reenrol.GetErrorInfo()?.Reason));
        Assert.Equal([Role.Administrator], stillAdmin.Caller.Roles);
        Assert.Equal([Role.Auditor], demotedByAnother.Official.Roles);
        Assert.True(disabledByAnother.Official.Disabled);
        Assert.Equal(["quantri.hai", "quantri.hai"], (await ChangesToAsync(first.Id)).Select(c => c.ActorLogin));
    }

    /// <summary>Each administration rpc on one official, as a call that either answers or throws.</summary>
    private List<Func<CallOptions, Task>> Calls(string officialId) =>
    [
        async options => await Identity.SetOfficialRolesAsync(new SetOfficialRolesRequest { OfficialId = officialId, Roles = { Role.Auditor } }, options),
        async options => await Identity.DisableOfficialAsync(new DisableOfficialRequest { OfficialId = officialId }, options),
        async options => await Identity.EnableOfficialAsync(new EnableOfficialRequest { OfficialId = officialId }, options),
        async options => await Identity.ReenrolOfficialTotpAsync(new ReenrolOfficialTotpRequest { ClientRequestId = "reenrol", OfficialId = officialId }, options),
    ];
}
