using Google.Rpc;
using Grpc.Core;
using GrpcDvc.Client;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Contracts.Population.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Tests.Probe;
using GrpcDvc.Tests.Support;

namespace GrpcDvc.Tests.Access;

/// <summary>Lookups are limited per account and per client address; the refusal says when to retry.</summary>
public sealed class LookupRateLimitTests
{
    private static readonly string ProbeService = AccessProbeReflection.Descriptor.Services[0].FullName;

    [Fact]
    public async Task Lookups_OverTheAccountLimit_AreResourceExhausted_WithRetryInfo_ThenTheAddressLimitCatchesOtherAccounts()
    {
        await using var server = await InProcessServer.StartAsync(null,
            $"--Dvc:Access:LookupLimitedServices:0={ProbeService}",
            "--Dvc:Identity:RateLimits:LookupPerAccount:Permits=3",
            "--Dvc:Identity:RateLimits:LookupPerAccount:Window=00:01:00",
            "--Dvc:Identity:RateLimits:LookupPerAddress:Permits=5",
            "--Dvc:Identity:RateLimits:LookupPerAddress:Window=00:01:00");
        var client = new AccessProbeService.AccessProbeServiceClient(server.Channel);
        var first = TestCallers.Bearer(await TestCallers.OfficialAsync(server, "BCA", Role.IntakeOfficer));
        var second = TestCallers.Bearer(await TestCallers.OfficialAsync(server, "BCA", Role.IntakeOfficer));

        for (var i = 0; i < 3; i++)
        {
            await client.ReadRecordAsync(Lookup(), first);
        }

        var perAccount = await Assert.ThrowsAsync<RpcException>(() => client.ReadRecordAsync(Lookup(), first).ResponseAsync);
        await client.ReadRecordAsync(Lookup(), second);
        await client.ReadRecordAsync(Lookup(), second);
        var perAddress = await Assert.ThrowsAsync<RpcException>(() => client.ReadRecordAsync(Lookup(), second).ResponseAsync);

        foreach (var refused in new[] { perAccount, perAddress })
        {
            AuthorizationGateTests.AssertStatus(refused, StatusCode.ResourceExhausted, AccessReasons.LookupRateLimited);
            var delay = refused.GetDetail<RetryInfo>()!.RetryDelay.ToTimeSpan();
            Assert.InRange(delay, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1));
        }
    }

    [Fact]
    public async Task PublicRpcs_AreNotCountedAsLookups()
    {
        await using var server = await InProcessServer.StartAsync(null,
            $"--Dvc:Access:LookupLimitedServices:0={ProbeService}",
            "--Dvc:Identity:RateLimits:LookupPerAddress:Permits=1");
        var client = new AccessProbeService.AccessProbeServiceClient(server.Channel);

        for (var i = 0; i < 3; i++)
        {
            await client.WhoIsCallingAsync(new WhoIsCallingRequest());
        }
    }

    private static ReadRecordRequest Lookup() => new()
    {
        IdNumber = "079088001234",
        UnitCodes = { "P34-79" },
        Access = new AccessContext { Purpose = AccessPurpose.DossierProcessing },
    };
}
