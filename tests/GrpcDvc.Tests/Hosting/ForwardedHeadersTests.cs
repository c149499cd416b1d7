using Grpc.Core;
using GrpcDvc.Contracts.Identity.V1;
using GrpcDvc.Server.Identity.SignIn;
using GrpcDvc.Server.Storage;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Hosting;

/// <summary>
/// The client address the sign-in audit records (and the lookup limits count by) comes from
/// X-Forwarded-For only when the peer is a configured proxy; from anyone else the header is ignored.
/// The tests' peer is 127.0.0.1.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private const string RealClient = "203.0.113.9";

    [Theory]
    [InlineData("--Dvc:ForwardedHeaders:KnownProxies:0=127.0.0.1")]
    [InlineData("--Dvc:ForwardedHeaders:KnownNetworks:0=127.0.0.0/8")]
    public async Task SignInAudit_BehindATrustedProxy_RecordsTheAddressTheProxyForwarded(string trust)
    {
        await using var server = await InProcessServer.StartAsync(null, trust);

        Assert.Equal(RealClient, await AuditedAddressAsync(server, RealClient));
    }

    [Fact]
    public async Task SignInAudit_FromAPeerThatIsNoConfiguredProxy_IgnoresXForwardedFor()
    {
        // Loopback is trusted by ASP.NET Core out of the box; here only configured proxies are.
        await using var server = await InProcessServer.StartAsync(null, "--Dvc:ForwardedHeaders:KnownProxies:0=10.9.8.7");
        await using var unconfigured = await InProcessServer.StartAsync();

        Assert.Equal("127.0.0.1", await AuditedAddressAsync(server, RealClient));
        Assert.Equal("127.0.0.1", await AuditedAddressAsync(unconfigured, RealClient));
    }

    /// <summary>A failed citizen sign-in sent with X-Forwarded-For; the address the audit recorded for it.</summary>
    private static async Task<string?> AuditedAddressAsync(InProcessServer server, string forwardedFor)
    {
        var identity = new IdentityService.IdentityServiceClient(server.Channel);
        var refused = await Assert.ThrowsAsync<RpcException>(() => identity.SignInCitizenAsync(
            new SignInCitizenRequest { IdNumber = "001203009999", Password = "not-the-password-1" },
            new Metadata { { "x-forwarded-for", forwardedFor } }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);

        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
        var entry = await db.Set<SignInAuditRecord>().OrderByDescending(a => a.Id).FirstAsync();
        return entry.Address;
    }
}
