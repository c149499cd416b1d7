using Grpc.Core;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Contracts.Identity.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Tests.Support;

namespace GrpcDvc.Tests.Access;

/// <summary>
/// An official acts on things located in a unit (officials of a unit, a station) only when that unit is
/// their own or under it (<see cref="SubjectAccess.EnsureWithinAgencyAsync"/>), shown through a real rpc
/// that uses it: IdentityService.ListOfficials of a named unit.
/// </summary>
public sealed class WithinAgencyTests(AccessServerFixture fixture) : IClassFixture<AccessServerFixture>
{
    private InProcessServer Server => fixture.Server;

    private IdentityService.IdentityServiceClient Identity => new(Server.Channel);

    [Theory]
    [InlineData("P34-01", AccessServerFixture.CaoBangCommune)]
    [InlineData("TEST-CB-H1", AccessServerFixture.OldHaGiangCommune)]
    [InlineData("P34-04", "NO-SUCH-UNIT")]
    public async Task WithinAgency_UnitOutsideTheOfficials_IsPermissionDeniedOutsideAgencyScope(string officialUnit, string askedUnit)
    {
        var token = await TestCallers.OfficialAsync(Server, officialUnit, Role.Auditor);

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            Identity.ListOfficialsAsync(new ListOfficialsRequest { AgencyCode = askedUnit }, TestCallers.Bearer(token)).ResponseAsync);

        GateRefusalTextTests.AssertRefusal(ex, StatusCode.PermissionDenied, AccessReasons.OutsideAgency, "This is outside your agency unit and the units under it.");
    }

    [Theory]
    [InlineData("P34-04", "P34-04")]
    [InlineData("P34-04", AccessServerFixture.CaoBangCommune)]
    [InlineData("TEST-CB-H1", AccessServerFixture.CaoBangCommune)]
    [InlineData("P34-08", AccessServerFixture.OldHaGiangCommune)]
    [InlineData("BCA", AccessServerFixture.OldHaGiangCommune)]
    public async Task WithinAgency_TheOfficialsUnitOrOneUnderIt_IsAllowed(string officialUnit, string askedUnit)
    {
        var token = await TestCallers.OfficialAsync(Server, officialUnit, Role.Auditor);

        var listed = await Identity.ListOfficialsAsync(new ListOfficialsRequest { AgencyCode = askedUnit }, TestCallers.Bearer(token));

        // The tests' officials exist only in their tokens: a unit's listing is empty, but it is answered.
        Assert.Empty(listed.Officials);
    }
}
