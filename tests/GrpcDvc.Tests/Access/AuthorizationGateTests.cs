using Google.Rpc;
using Grpc.Core;
using GrpcDvc.Client;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Contracts.Identity.V1;
using GrpcDvc.Contracts.Population.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity;
using GrpcDvc.Tests.Probe;
using GrpcDvc.Tests.Support;

namespace GrpcDvc.Tests.Access;

/// <summary>The authorization gate and the subject checks, through the real server and typed clients.</summary>
public sealed class AuthorizationGateTests(AccessServerFixture fixture) : IClassFixture<AccessServerFixture>
{
    private InProcessServer Server => fixture.Server;

    private AccessProbeService.AccessProbeServiceClient Client => new(Server.Channel);

    [Fact]
    public async Task NonPublicRpc_WithoutToken_IsUnauthenticated()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => Client.ReadRecordAsync(Read(TestCallers.CitizenIdNumber)).ResponseAsync);

        AssertStatus(ex, StatusCode.Unauthenticated, AccessReasons.AccessTokenMissing);
    }

    [Fact]
    public async Task PublicRpc_WithoutToken_IsServedAnonymously()
    {
        var reply = await Client.WhoIsCallingAsync(new WhoIsCallingRequest());

        Assert.Equal("", reply.AccountId);
    }

    [Fact]
    public async Task PublicRpc_WithValidToken_TellsTheServiceWhoCalls()
    {
        var token = await TestCallers.OfficialAsync(Server, "P34-04", Role.Auditor);

        var reply = await Client.WhoIsCallingAsync(new WhoIsCallingRequest(), TestCallers.Bearer(token));

        Assert.Equal(["auditor"], reply.Roles);
        Assert.Equal("P34-04", reply.AgencyUnit);
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")]
    public async Task InvalidToken_EvenOnAPublicRpc_IsUnauthenticated(string token)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => Client.WhoIsCallingAsync(new WhoIsCallingRequest(), TestCallers.Bearer(token)).ResponseAsync);

        AssertStatus(ex, StatusCode.Unauthenticated, IdentityReasons.AccessTokenInvalid);
    }

    [Fact]
    public async Task ExpiredToken_IsUnauthenticated_SayingItExpired()
    {
        var token = await TestCallers.ExpiredAsync(Server);

        var ex = await Assert.ThrowsAsync<RpcException>(() => Client.ReadRecordAsync(Read("x", AccessServerFixture.CaoBangCommune), TestCallers.Bearer(token)).ResponseAsync);

        AssertStatus(ex, StatusCode.Unauthenticated, IdentityReasons.AccessTokenExpired);
    }

    [Fact]
    public async Task TokenSignedByAnUnknownKey_IsUnauthenticated()
    {
        var token = TestCallers.SignedByUnknownKey(Server);

        var ex = await Assert.ThrowsAsync<RpcException>(() => Client.ReadRecordAsync(Read("x", AccessServerFixture.CaoBangCommune), TestCallers.Bearer(token)).ResponseAsync);

        AssertStatus(ex, StatusCode.Unauthenticated, IdentityReasons.AccessTokenInvalid);
    }

    [Fact]
    public async Task AccessToken_AfterSignOut_IsUnauthenticated_SayingTheSessionEnded()
    {
        var tokens = await TestCallers.OfficialSignedInAsync(Server, "P34-04", Role.IntakeOfficer);
        await new IdentityService.IdentityServiceClient(Server.Channel).SignOutAsync(new SignOutRequest { RefreshToken = tokens.RefreshToken });

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            Client.ReadRecordAsync(Read("079088001234", AccessServerFixture.CaoBangCommune), TestCallers.Bearer(tokens.AccessToken)).ResponseAsync);

        AssertStatus(ex, StatusCode.Unauthenticated, AccessReasons.SessionEnded);
    }

    [Fact]
    public async Task AuthorizationHeader_NotBearer_IsUnauthenticated()
    {
        var options = new CallOptions(new Metadata { { "authorization", "Basic dXNlcjpwYXNz" } });

        var ex = await Assert.ThrowsAsync<RpcException>(() => Client.WhoIsCallingAsync(new WhoIsCallingRequest(), options).ResponseAsync);

        AssertStatus(ex, StatusCode.Unauthenticated, AccessReasons.AuthorizationMalformed);
    }

    [Fact]
    public async Task RoleNotInThePolicy_IsPermissionDenied_BeforeTheRequestIsLookedAt()
    {
        var token = await TestCallers.OfficialAsync(Server, "P34-04", Role.Auditor, Role.StationManager);

        // No purpose either: the role refusal comes first, so nobody learns what a valid request looks like.
        var ex = await Assert.ThrowsAsync<RpcException>(() => Client.ReadRecordAsync(new ReadRecordRequest(), TestCallers.Bearer(token)).ResponseAsync);

        AssertStatus(ex, StatusCode.PermissionDenied, AccessReasons.RoleNotAllowed);
    }

    [Fact]
    public async Task RpcWithoutPolicy_IsDeniedToEveryone()
    {
        string?[] tokens =
        [
            null,
            await TestCallers.CitizenAsync(Server),
            await TestCallers.OfficialAsync(Server, "BCA", [.. RoleNames.OfficialRoles]),
        ];

        foreach (var token in tokens)
        {
            var ex = await Assert.ThrowsAsync<RpcException>(() => Client.UnguardedAsync(new WhoIsCallingRequest(), TestCallers.Bearer(token)).ResponseAsync);
            AssertStatus(ex, StatusCode.PermissionDenied, AccessReasons.NoPolicy);
        }
    }

    [Fact]
    public async Task PurposeRequired_WithoutPurpose_IsInvalidArgument_NamingTheField()
    {
        var token = await TestCallers.OfficialAsync(Server, "P34-04", Role.IntakeOfficer);
        var request = Read("x", AccessServerFixture.CaoBangCommune);
        request.Access = new AccessContext { Reference = "HS-2025-1" };

        var ex = await Assert.ThrowsAsync<RpcException>(() => Client.ReadRecordAsync(request, TestCallers.Bearer(token)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        var violation = Assert.Single(ex.GetBadRequest()!.FieldViolations);
        Assert.Equal("access.purpose", violation.Field);
        Assert.Equal(AccessReasons.PurposeRequired, violation.Reason);
    }

    [Fact]
    public async Task OfficialOutsideTheAgency_IsPermissionDenied()
    {
        var hanoi = await TestCallers.OfficialAsync(Server, "P34-01", Role.IntakeOfficer);

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            Client.ReadRecordAsync(Read("079088001234", AccessServerFixture.CaoBangCommune), TestCallers.Bearer(hanoi)).ResponseAsync);

        AssertStatus(ex, StatusCode.PermissionDenied, AccessReasons.OutsideAgency);
    }

    [Theory]
    [InlineData("P34-04", AccessServerFixture.CaoBangCommune)]
    [InlineData("TEST-CB-H1", AccessServerFixture.CaoBangCommune)]
    [InlineData("P34-08", AccessServerFixture.OldHaGiangCommune)]
    [InlineData("BCA", AccessServerFixture.OldHaGiangCommune)]
    public async Task OfficialWithinTheAgency_ReadsTheRecord(string agency, string subjectUnit)
    {
        var token = await TestCallers.OfficialAsync(Server, agency, Role.ProcessingOfficer);

        var reply = await Client.ReadRecordAsync(Read("079088001234", subjectUnit), TestCallers.Bearer(token));

        Assert.Equal(agency, reply.AgencyUnit);
    }

    [Fact]
    public async Task OfficialWithoutAgencyUnit_IsPermissionDenied_OnAgencyScopedRpcs()
    {
        var token = await TestCallers.OfficialAsync(Server, "", Role.IntakeOfficer);

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            Client.ReadRecordAsync(Read("079088001234", AccessServerFixture.CaoBangCommune), TestCallers.Bearer(token)).ResponseAsync);

        AssertStatus(ex, StatusCode.PermissionDenied, AccessReasons.AgencyUnitMissing);
    }

    [Fact]
    public async Task Citizen_ReadsTheirOwnRecord_ButNotAnothers()
    {
        var token = await TestCallers.CitizenAsync(Server);

        var own = await Client.ReadRecordAsync(Read(TestCallers.CitizenIdNumber, AccessServerFixture.CaoBangCommune), TestCallers.Bearer(token));
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            Client.ReadRecordAsync(Read("079088001234", AccessServerFixture.CaoBangCommune), TestCallers.Bearer(token)).ResponseAsync);

        Assert.Equal(["citizen"], own.Roles);
        AssertStatus(ex, StatusCode.PermissionDenied, AccessReasons.NotOwnRecord);
    }

    [Fact]
    public async Task HarnessService_NotAllowListed_IsDeniedByDefault_WhileHealthStillAnswers()
    {
        // Index 0 of the allow-list normally names the probe service; here it names something else.
        await using var server = await InProcessServer.StartAsync(null, $"--Dvc:Access:ServicesWithoutPolicy:0={InProcessServer.InteropServiceName}");

        var ex = await Assert.ThrowsAsync<RpcException>(() => new ProbeService.ProbeServiceClient(server.Channel).EchoAsync(new EchoRequest { Text = "x" }).ResponseAsync);
        var health = await new global::Grpc.Health.V1.Health.HealthClient(server.Channel).CheckAsync(new global::Grpc.Health.V1.HealthCheckRequest());

        AssertStatus(ex, StatusCode.PermissionDenied, AccessReasons.NoPolicy);
        Assert.Equal(global::Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    internal static void AssertStatus(RpcException ex, StatusCode code, string reason)
    {
        Assert.Equal(code, ex.StatusCode);
        Assert.Equal(reason, ex.GetDetail<ErrorInfo>()?.Reason);
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
