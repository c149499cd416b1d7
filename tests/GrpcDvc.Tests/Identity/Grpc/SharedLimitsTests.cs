using Grpc.Core;
using GrpcDvc.Client;
using GrpcDvc.Contracts.Identity.V1;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.SignIn;
using GrpcDvc.Server.Storage;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Identity.Grpc;

/// <summary>
/// Two server instances on one PostgreSQL database, as behind a load balancer: the sign-in and OTP
/// limits are counted in the database, so attempts spread over both are refused once their total
/// reaches the rule. Both trust the tests' loopback peer as a proxy, so each call names its client
/// address in X-Forwarded-For; both read one fake clock.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SharedLimitsTests(PostgresCluster cluster) : IAsyncLifetime
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    // Starts at the real time: the servers' other clock users (Data Protection, tokens) see a sensible now.
    private readonly FakeTimeProvider _clock = new(TimeProvider.System.GetUtcNow());
    private InProcessServer _first = null!;
    private InProcessServer _second = null!;

    public async Task InitializeAsync()
    {
        var database = await cluster.CreateDatabaseAsync();
        string[] settings =
        [
            "--Dvc:ForwardedHeaders:KnownProxies:0=127.0.0.1",
            "--Dvc:Identity:RateLimits:SignInPerAccount:Permits=4",
            "--Dvc:Identity:RateLimits:SignInPerAccount:Window=00:10:00",
            "--Dvc:Identity:RateLimits:OtpSendPerAddress:Permits=3",
            "--Dvc:Identity:RateLimits:OtpSendPerAddress:Window=00:10:00",
        ];
        _first = await InProcessServer.StartWithServicesAsync(s => s.AddSingleton<TimeProvider>(_clock), database, settings);
        _second = await InProcessServer.StartWithServicesAsync(s => s.AddSingleton<TimeProvider>(_clock), database, settings);
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
    }

    [Fact]
    public async Task SignIns_AgainstOneAccount_FromManyAddressesOverBothInstances_AreRefusedAtTheTotal_UntilTheWindowPasses()
    {
        // Four wrong passwords, two on each instance, each from another address: all counted against the one account.
        for (var i = 0; i < 4; i++)
        {
            var wrong = await SignInAsync(i % 2 == 0 ? _first : _second, "001090009999", $"198.51.100.{i}");
            Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);
        }

        var limited = await SignInAsync(_first, "001090009999", "198.51.100.50");
        var limitedElsewhere = await SignInAsync(_second, "001090009999", "198.51.100.51");
        var otherAccount = await SignInAsync(_second, "001090008888", "198.51.100.51");

        AssertLimited(limited, Window);
        AssertLimited(limitedElsewhere, Window);
        Assert.Equal(StatusCode.Unauthenticated, otherAccount.StatusCode);

        _clock.Advance(Window - TimeSpan.FromSeconds(90));
        AssertLimited(await SignInAsync(_second, "001090009999", "198.51.100.52"), TimeSpan.FromSeconds(90));
        _clock.Advance(TimeSpan.FromSeconds(90));
        Assert.Equal(StatusCode.Unauthenticated, (await SignInAsync(_second, "001090009999", "198.51.100.53")).StatusCode);
    }

    [Fact]
    public async Task OtpSends_ForOneIdNumber_FromManyAddressesOverBothInstances_AreRefusedAtTheTotal()
    {
        // The details match no one in the registry: each start is counted, then refused as a mismatch.
        for (var i = 0; i < 3; i++)
        {
            var mismatch = await StartRegistrationAsync(i % 2 == 0 ? _first : _second, "001090007777", $"198.51.100.{i}");
            Assert.Equal(IdentityReasons.RegistryMismatch, mismatch.GetErrorInfo()?.Reason);
        }

        var limited = await StartRegistrationAsync(_second, "001090007777", "198.51.100.60");
        var otherNumber = await StartRegistrationAsync(_first, "001090006666", "198.51.100.60");

        AssertLimited(limited, Window);
        Assert.Equal(IdentityReasons.RegistryMismatch, otherNumber.GetErrorInfo()?.Reason);
    }

    [Fact]
    public async Task SignIn_WhenTheCountersCannotBeWritten_IsRefusedUnavailable_OnEveryInstance()
    {
        await using (var scope = _first.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE abuse_counters RENAME TO abuse_counters_gone");
        }

        foreach (var server in new[] { _first, _second })
        {
            var refused = await SignInAsync(server, "001090009999", "198.51.100.70");

            Assert.Equal((StatusCode.Unavailable, IdentityReasons.RateLimitsUnavailable), (refused.StatusCode, refused.GetErrorInfo()?.Reason));
            Assert.Equal(AbuseLimiter.UnavailableRetry, refused.GetRetryInfo()!.RetryDelay.ToTimeSpan());
        }
    }

    /// <summary>RESOURCE_EXHAUSTED, RATE_LIMITED, and a RetryInfo delay of exactly what is left of the window.</summary>
    private static void AssertLimited(RpcException refused, TimeSpan left)
    {
        Assert.Equal((StatusCode.ResourceExhausted, IdentityReasons.RateLimited), (refused.StatusCode, refused.GetErrorInfo()?.Reason));
        Assert.Equal(left, refused.GetRetryInfo()!.RetryDelay.ToTimeSpan());
    }

    private static Task<RpcException> SignInAsync(InProcessServer server, string idNumber, string address)
        => Assert.ThrowsAsync<RpcException>(() => new IdentityService.IdentityServiceClient(server.Channel).SignInCitizenAsync(
            new SignInCitizenRequest { IdNumber = idNumber, Password = "not-the-password-1" }, From(address)).ResponseAsync);

    private static Task<RpcException> StartRegistrationAsync(InProcessServer server, string idNumber, string address)
        => Assert.ThrowsAsync<RpcException>(() => new IdentityService.IdentityServiceClient(server.Channel).StartCitizenRegistrationAsync(
            new StartCitizenRegistrationRequest { IdNumber = idNumber, FullName = "Trần Văn Không", BirthDate = "1990-01-01", Phone = "0912000111" },
            From(address)).ResponseAsync);

    private static Metadata From(string address) => new() { { "x-forwarded-for", address } };
}
