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
            AssertLookupRefused(refused, window: TimeSpan.FromMinutes(1));
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

        // The one permit is still there for a lookup, and the limit is live: the next lookup is refused.
        var official = TestCallers.Bearer(await TestCallers.OfficialAsync(server, "BCA", Role.IntakeOfficer));
        await client.ReadRecordAsync(Lookup(), official);
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.ReadRecordAsync(Lookup(), official).ResponseAsync);
        AssertLookupRefused(refused, window: TimeSpan.FromMinutes(1));
    }

    /// <summary>RESOURCE_EXHAUSTED, LOOKUP_RATE_LIMITED, and a RetryInfo delay that ends the window the refused permits were taken in (a few seconds ago at most).</summary>
    private static void AssertLookupRefused(RpcException refused, TimeSpan window)
    {
        AuthorizationGateTests.AssertStatus(refused, StatusCode.ResourceExhausted, AccessReasons.LookupRateLimited);
        var retry = refused.GetDetail<RetryInfo>();
        Assert.NotNull(retry);
        Assert.InRange(retry.RetryDelay.ToTimeSpan(), window - TimeSpan.FromSeconds(10), window);
    }

    private static ReadRecordRequest Lookup() => new()
    {
        IdNumber = "079088001234",
        UnitCodes = { "P34-79" },
        Access = new AccessContext { Purpose = AccessPurpose.DossierProcessing },
    };
}
