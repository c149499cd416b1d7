using Grpc.Core;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Contracts.Population.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Tests.Probe;
using GrpcDvc.Tests.Support;

namespace GrpcDvc.Tests.Access;

/// <summary>
/// What the operator's "Dvc:Access" settings change on a running server: which unit covers the whole
/// country, which services count as lookups, and which client address a lookup counts against.
/// </summary>
public sealed class AccessSettingsTests
{
    private static readonly string ProbeService = AccessProbeReflection.Descriptor.Services[0].FullName;

    [Fact]
    public async Task NationalUnits_Configured_ReplaceTheMinistry_AsTheUnitThatCoversEveryCitizen()
    {
        await using var server = await InProcessServer.StartAsync(null, "--Dvc:Access:NationalUnits:0=C06");
        var client = new AccessProbeService.AccessProbeServiceClient(server.Channel);
        var department = TestCallers.Bearer(await TestCallers.OfficialAsync(server, "C06", Role.ProcessingOfficer));
        var ministry = TestCallers.Bearer(await TestCallers.OfficialAsync(server, "BCA", Role.ProcessingOfficer));

        var read = await client.ReadRecordAsync(Lookup("P34-04"), department);
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.ReadRecordAsync(Lookup("P34-04"), ministry).ResponseAsync);

        Assert.Equal("C06", read.AgencyUnit);
        AuthorizationGateTests.AssertStatus(refused, StatusCode.PermissionDenied, AccessReasons.OutsideAgency);
    }

    [Fact]
    public async Task LookupLimitedServices_Unset_CountThePopulationServiceOnly()
    {
        await using var server = await InProcessServer.StartAsync(null,
            "--Dvc:Identity:RateLimits:LookupPerAddress:Permits=1",
            "--Dvc:Identity:RateLimits:LookupPerAddress:Window=00:01:00");
        var probe = new AccessProbeService.AccessProbeServiceClient(server.Channel);
        var population = new PopulationService.PopulationServiceClient(server.Channel);
        var official = TestCallers.Bearer(await TestCallers.OfficialAsync(server, "BCA", Role.IntakeOfficer));

        // The probe's reads have a policy, a purpose and an agency scope like a population read, but are no lookups here.
        for (var i = 0; i < 3; i++)
        {
            await probe.ReadRecordAsync(Lookup("P34-04"), official);
        }

        var first = await OutcomeAsync(() => population.LookupCitizenAsync(LookupCitizen(), official).ResponseAsync);
        var second = await Assert.ThrowsAsync<RpcException>(() => population.LookupCitizenAsync(LookupCitizen(), official).ResponseAsync);

        Assert.NotEqual(StatusCode.ResourceExhausted, first);
        GateRefusalTextTests.AssertRefusal(second, StatusCode.ResourceExhausted, AccessReasons.LookupRateLimited, "Too many lookups; try again later.");
    }

    [Fact]
    public async Task LookupLimit_ClientAddressSentAsIPv4MappedIPv6_CountsAsTheIPv4Address_ButAnIPv6AddressIsAClientOfItsOwn()
    {
        await using var server = await InProcessServer.StartAsync(null,
            $"--Dvc:Access:LookupLimitedServices:0={ProbeService}",
            "--Dvc:ForwardedHeaders:KnownProxies:0=127.0.0.1",
            "--Dvc:Identity:RateLimits:LookupPerAddress:Permits=1",
            "--Dvc:Identity:RateLimits:LookupPerAddress:Window=00:01:00");
        var client = new AccessProbeService.AccessProbeServiceClient(server.Channel);

        // A fresh account for each call, so only the address limit can refuse one.
        async Task<StatusCode> LookupFromAsync(string address)
        {
            var token = await TestCallers.OfficialAsync(server, "BCA", Role.IntakeOfficer);
            var headers = new Metadata { { "authorization", $"Bearer {token}" }, { "x-forwarded-for", address } };
            return await OutcomeAsync(() => client.ReadRecordAsync(Lookup("P34-04"), headers).ResponseAsync);
        }

        var ipv4 = await LookupFromAsync("10.1.2.3");
        var mapped = await LookupFromAsync("::ffff:10.1.2.3");
        // Its last 32 bits spell 10.1.2.3 too: only an IPv4-mapped address is the IPv4 client.
        var ipv6 = await LookupFromAsync("2001:db8::a01:203");

        Assert.Equal(StatusCode.OK, ipv4);
        Assert.Equal(StatusCode.ResourceExhausted, mapped);
        Assert.Equal(StatusCode.OK, ipv6);
    }

    private static async Task<StatusCode> OutcomeAsync<T>(Func<Task<T>> call)
    {
        try
        {
            await call();
            return StatusCode.OK;
        }
        catch (RpcException ex)
        {
            return ex.StatusCode;
        }
    }

    private static ReadRecordRequest Lookup(string unit) => new()
    {
        IdNumber = "079088001234",
        UnitCodes = { unit },
        Access = new AccessContext { Purpose = AccessPurpose.DossierProcessing, Reference = "HS-2025-1" },
    };

    private static LookupCitizenRequest LookupCitizen() => new()
    {
        IdNumber = "079088001234",
        Access = new AccessContext { Purpose = AccessPurpose.DossierProcessing, Reference = "HS-2025-1" },
    };
}
