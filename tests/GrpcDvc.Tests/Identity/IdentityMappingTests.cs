using System.Net;
using GrpcDvc.Server.Identity;
using GrpcDvc.Tests.Access;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// The client as the rate limits and the sign-in audit see it (<see cref="IdentityMapping.Client"/>): one
/// address per client whatever socket it came in on, and no user agent rather than an empty one.
/// </summary>
public sealed class IdentityMappingTests
{
    [Theory]
    [InlineData("::ffff:203.0.113.9", "203.0.113.9")] // an IPv4 client accepted on a dual-stack socket
    [InlineData("203.0.113.9", "203.0.113.9")]
    [InlineData("2001:db8::9", "2001:db8::9")] // a real IPv6 client keeps its address
    public void Client_IsThePeersAddress_AnIPv4ClientOnADualStackSocketAsItsIPv4Address(string peer, string address)
    {
        var client = IdentityMapping.Client(Call(IPAddress.Parse(peer), "dvc-portal/1.0"));

        // The same client must fall in the same lockout and rate-limit bucket on either kind of socket.
        Assert.Equal((address, "dvc-portal/1.0"), (client.Address, client.UserAgent));
    }

    [Fact]
    public void Client_WithoutAUserAgentOrAnAddress_HasNeither()
    {
        var client = IdentityMapping.Client(Call(null, ""));

        Assert.Equal(((string?)null, (string?)null), (client.Address, client.UserAgent));
    }

    private static TestCallContext Call(IPAddress? address, string userAgent)
        => TestCallContext.FromClient("/dvc.identity.v1.IdentityService/Call", address, userAgent);
}
