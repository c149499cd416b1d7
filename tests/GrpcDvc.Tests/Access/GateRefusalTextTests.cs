using Google.Rpc;
using Grpc.Core;
using GrpcDvc.Client;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Contracts.Population.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Tests.Probe;
using GrpcDvc.Tests.Support;

namespace GrpcDvc.Tests.Access;

/// <summary>
/// Each refusal of the gate and of the subject checks as the client receives it: the status, the
/// ErrorInfo reason portals localise, and the message a developer or an operator reads in a log or a
/// console, which must say what went wrong and, where the caller can, what to do.
/// </summary>
public sealed class GateRefusalTextTests(AccessServerFixture fixture) : IClassFixture<AccessServerFixture>
{
    private const string ReadRecordRpc = "dvc.testing.v1.AccessProbeService.ReadRecord";

    private InProcessServer Server => fixture.Server;

    private AccessProbeService.AccessProbeServiceClient Client => new(Server.Channel);

    [Fact]
    public async Task NoPolicy_RpcWithoutOne_IsRefusedNamingTheRpc()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => Client.UnguardedAsync(new WhoIsCallingRequest()).ResponseAsync);

        AssertRefusal(ex, StatusCode.PermissionDenied, AccessReasons.NoPolicy,
            "dvc.testing.v1.AccessProbeService.Unguarded declares no access policy, so it may not be called.");
    }

    [Fact]
    public async Task AccessTokenMissing_NonPublicRpcWithoutToken_TellsTheClientToSignIn()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => Client.ReadRecordAsync(Read(TestCallers.CitizenIdNumber)).ResponseAsync);

        AssertRefusal(ex, StatusCode.Unauthenticated, AccessReasons.AccessTokenMissing,
            "Sign in first: this call needs an access token (authorization: Bearer …).");
    }

    [Theory]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer")]
    [InlineData("Bearer    ")]
    public async Task AuthorizationMalformed_HeaderThatIsNoBearerToken_SaysWhatTheHeaderMustBe(string header)
    {
        var options = new CallOptions(new Metadata { { "authorization", header } });

        var ex = await Assert.ThrowsAsync<RpcException>(() => Client.WhoIsCallingAsync(new WhoIsCallingRequest(), options).ResponseAsync);

        AssertRefusal(ex, StatusCode.Unauthenticated, AccessReasons.AuthorizationMalformed, "The authorization header must be \"Bearer <access token>\".");
    }

    [Fact]
    public async Task RoleNotAllowed_OfficialWithOtherRoles_IsRefusedNamingTheRpc()
    {
        var token = await TestCallers.OfficialAsync(Server, "P34-04", Role.Auditor);

        var ex = await Assert.ThrowsAsync<RpcException>(() => Client.ReadRecordAsync(Read("079088001234", AccessServerFixture.CaoBangCommune), TestCallers.Bearer(token)).ResponseAsync);

        AssertRefusal(ex, StatusCode.PermissionDenied, AccessReasons.RoleNotAllowed, $"Your roles do not allow {ReadRecordRpc}.");
    }

    [Fact]
    public async Task AgencyUnitMissing_OfficialBoundToNoUnit_IsRefusedSayingSo()
    {
        var token = await TestCallers.OfficialAsync(Server, "", Role.IntakeOfficer);

        var ex = await Assert.ThrowsAsync<RpcException>(() => Client.ReadRecordAsync(Read("079088001234", AccessServerFixture.CaoBangCommune), TestCallers.Bearer(token)).ResponseAsync);

        AssertRefusal(ex, StatusCode.PermissionDenied, AccessReasons.AgencyUnitMissing, "Your account is bound to no agency unit.");
    }

    [Fact]
    public async Task PurposeRequired_ReadWithoutPurpose_SaysAPurposeIsNeededAndWhy()
    {
        var token = await TestCallers.OfficialAsync(Server, "P34-04", Role.IntakeOfficer);
        var request = Read("079088001234", AccessServerFixture.CaoBangCommune);
        request.Access = null;

        var ex = await Assert.ThrowsAsync<RpcException>(() => Client.ReadRecordAsync(request, TestCallers.Bearer(token)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("State the purpose of this read of a citizen's data.", ex.Status.Detail);
        var violation = Assert.Single(ex.GetBadRequest()!.FieldViolations);
        Assert.Equal("access.purpose", violation.Field);
        Assert.Equal(AccessReasons.PurposeRequired, violation.Reason);
        Assert.Equal("A purpose is required: it decides which fields are returned and goes to the access log.", violation.Description);
    }

    [Fact]
    public async Task PurposeRequired_OnARequestWithoutAccessContext_IsInternal_BlamingTheProtoNotTheCaller()
    {
        var token = await TestCallers.OfficialAsync(Server, "P34-04", Role.IntakeOfficer);

        var ex = await Assert.ThrowsAsync<RpcException>(() => Client.ReadWithoutAccessContextAsync(new WhoIsCallingRequest(), TestCallers.Bearer(token)).ResponseAsync);

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.Equal("dvc.testing.v1.AccessProbeService.ReadWithoutAccessContext requires a purpose but its request has no AccessContext.", ex.Status.Detail);
    }

    [Fact]
    public async Task NotOwnRecord_CitizenOnAnothersRecord_IsRefusedSayingSo()
    {
        var token = await TestCallers.CitizenAsync(Server);

        var ex = await Assert.ThrowsAsync<RpcException>(() => Client.ReadRecordAsync(Read("079088001234", AccessServerFixture.CaoBangCommune), TestCallers.Bearer(token)).ResponseAsync);

        AssertRefusal(ex, StatusCode.PermissionDenied, AccessReasons.NotOwnRecord, "A citizen may act only on their own record.");
    }

    [Fact]
    public async Task OutsideAgency_OfficialOnACitizenOfAnotherProvince_IsRefusedSayingSo()
    {
        var token = await TestCallers.OfficialAsync(Server, "P34-01", Role.ProcessingOfficer);

        var ex = await Assert.ThrowsAsync<RpcException>(() => Client.ReadRecordAsync(Read("079088001234", AccessServerFixture.CaoBangCommune), TestCallers.Bearer(token)).ResponseAsync);

        AssertRefusal(ex, StatusCode.PermissionDenied, AccessReasons.OutsideAgency, "This citizen is outside your agency unit and the units under it.");
    }

    /// <summary>The status code, the ErrorInfo reason in GrpcDvc's domain, and the human message, both in grpc-message and in the rich status.</summary>
    internal static void AssertRefusal(RpcException ex, StatusCode code, string reason, string message)
    {
        Assert.Equal(code, ex.StatusCode);
        Assert.Equal(message, ex.Status.Detail);
        var info = ex.GetDetail<ErrorInfo>();
        Assert.NotNull(info);
        Assert.Equal(reason, info.Reason);
        Assert.Equal("dvc.gov.vn", info.Domain);
        Assert.Equal(message, ex.GetRpcStatus()?.Message);
    }

    private static ReadRecordRequest Read(string idNumber, params string[] units)
    {
        var request = new ReadRecordRequest
        {
            IdNumber = idNumber,
            Access = new AccessContext { Purpose = AccessPurpose.DossierProcessing, Reference = "HS-2025-1" },
        };
        request.UnitCodes.AddRange(units);
        return request;
    }
}
