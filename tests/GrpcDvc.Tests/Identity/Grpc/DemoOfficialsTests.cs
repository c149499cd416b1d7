using Grpc.Core;
using GrpcDvc.Client;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Contracts.Identity.V1;
using GrpcDvc.Contracts.Population.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.Officials;
using GrpcDvc.Server.Storage;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Identity.Grpc;

/// <summary>The published demo officials: there in development, with their role, able to sign in; absent otherwise.</summary>
public sealed class DemoOfficialsTests
{
    /// <summary>The demo citizens the README lists: living in Hà Nội, inside the demo officials' unit.</summary>
    public static readonly TheoryData<string, string> ReadmeCitizensInHanoi = new()
    {
        { "001096977891", "Nguyễn Anh Anh" },
        { "001302085834", "Hoàng Ngọc Khánh" },
        { "001093901287", "Nguyễn Đức Tài" },
        { "056171294781", "Lê Thị Ánh" },
    };

    /// <summary>A demo citizen the README lists as living in Hồ Chí Minh City, outside the demo unit.</summary>
    public const string ReadmeCitizenOutsideHanoi = "036050912204";

    [Fact]
    public async Task DemoOfficials_InDevelopment_HoldTheirRoleInTheDemoUnit_AndSignInWithThePublishedPasswordAndSeed()
    {
        await using var server = await InProcessServer.StartAsync();
        var identity = new IdentityService.IdentityServiceClient(server.Channel);

        foreach (var (username, fullName, role) in DemoOfficials.Accounts)
        {
            var tokens = await SignInAsync(identity, username);
            Assert.Equal((Caller.Types.Kind.Official, fullName, "P34-01"), (tokens.Caller.Kind, tokens.Caller.DisplayName, tokens.Caller.AgencyCode));
            Assert.Equal([role], tokens.Caller.Roles);
        }

        Assert.Equal(RoleNames.OfficialRoles.Order(), DemoOfficials.Accounts.Select(a => a.Role).Order());
    }

    [Fact]
    public async Task DemoOfficials_SecondStart_CreatesNoneAgain_AndTheyStillSignIn()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), $"grpcdvc-demo-officials-{Guid.NewGuid():N}");
        try
        {
            await using (var first = await InProcessServer.StartAsync(null, $"--Dvc:DataDir={dataDir}", "--Dvc:Population:DemoCitizens=0"))
            {
                Assert.Equal(DemoOfficials.Accounts.Count, await CountDemoOfficialsAsync(first));
            }

            await using var second = await InProcessServer.StartAsync(null, $"--Dvc:DataDir={dataDir}", "--Dvc:Population:DemoCitizens=0");
            Assert.Equal(DemoOfficials.Accounts.Count, await CountDemoOfficialsAsync(second));
            Assert.Equal([Role.Auditor], (await SignInAsync(new IdentityService.IdentityServiceClient(second.Channel), "demo.auditor")).Caller.Roles);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Theory]
    [InlineData("--Dvc:Identity:Development:Enabled=false")]
    [InlineData("--Dvc:Identity:Development:DemoOfficials=false")]
    public async Task DemoOfficials_DevelopmentOrTheOptionOff_AreNeverCreated(string setting)
    {
        await using var server = await InProcessServer.StartAsync(null, setting, "--Dvc:Population:DemoCitizens=0");

        Assert.Equal(0, await CountDemoOfficialsAsync(server));
        var refused = await Assert.ThrowsAsync<RpcException>(() => SignInAsync(new IdentityService.IdentityServiceClient(server.Channel), "demo.processing"));
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
    }

    [Fact]
    public async Task ReadmeDemoCitizens_AreFoundByTheDemoProcessingOfficer_AndTheOneOutsideHanoiIsOutsideTheScope()
    {
        await using var server = await InProcessServer.StartAsync();
        var officer = await SignInAsync(new IdentityService.IdentityServiceClient(server.Channel), "demo.processing");
        var population = new PopulationService.PopulationServiceClient(server.Channel);
        var bearer = new CallOptions(new Metadata { { "authorization", "Bearer " + officer.AccessToken } });

        foreach (var (idNumber, fullName) in ReadmeCitizensInHanoi.Select(row => ((string)row[0], (string)row[1])))
        {
            var found = await population.LookupCitizenAsync(Lookup(idNumber), bearer);
            Assert.Equal((idNumber, fullName), (found.Citizen.IdNumber, found.Citizen.FullName));
        }

        var outside = await Assert.ThrowsAsync<RpcException>(() => population.LookupCitizenAsync(Lookup(ReadmeCitizenOutsideHanoi), bearer).ResponseAsync);
        Assert.Equal("OUTSIDE_AGENCY_SCOPE", outside.GetErrorInfo()?.Reason);
    }

    /// <summary>Signs in as a demo official with the published password and a code computed from the published seed.</summary>
    private static Task<TokenResponse> SignInAsync(IdentityService.IdentityServiceClient identity, string username)
        => identity.SignInOfficialAsync(new SignInOfficialRequest
        {
            Username = username,
            Password = "demo-dvc-2026",
            TotpCode = new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes("DEMODVCDEMODVCDEMODVCDEMODVCDEMO")).ComputeTotp(TimeProvider.System.GetUtcNow().UtcDateTime),
        }).ResponseAsync;

    private static LookupCitizenRequest Lookup(string idNumber)
        => new() { IdNumber = idNumber, Access = new AccessContext { Purpose = AccessPurpose.IdentityVerification } };

    private static async Task<int> CountDemoOfficialsAsync(InProcessServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DvcDbContext>().Set<OfficialAccountRecord>()
            .CountAsync(a => a.Username.StartsWith("demo."));
    }
}
