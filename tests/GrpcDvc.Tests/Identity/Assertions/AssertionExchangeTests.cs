using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.Assertions;
using GrpcDvc.Server.Identity.SignIn;
using GrpcDvc.Server.Identity.Tokens;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Tests.Identity.Assertions;

/// <summary>
/// The exchange of an assertion for our tokens, called directly: whose account it opens or
/// finds, who is refused, and that every outcome lands in the sign-in audit.
/// </summary>
public sealed class AssertionExchangeTests : IAsyncLifetime
{
    private const string An = "001203004567";
    private const string Binh = "001203004568";
    private static readonly DateOnly BirthDate = new(2003, 5, 17);
    private static readonly ClientContext Client = new("203.0.113.7");

    private IdentityHarness _harness = null!;

    public Task InitializeAsync()
    {
        _harness = IdentityHarness.Start(settings: new Dictionary<string, string?>
        {
            ["Dvc:Identity:RateLimits:SignInPerAddress:Permits"] = "3",
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    // The account is found by ID number: a second citizen never signs in as the first.
    [Fact]
    public async Task AnotherCitizen_GetsAnAccountOfTheirOwn()
    {
        Assert.True((await ExchangeAsync(Mint(An))).Succeeded);

        Assert.True((await ExchangeAsync(Mint(Binh))).Succeeded);

        Assert.Equal([An, Binh], await _harness.QueryAsync(db => db.Set<CitizenAccountRecord>().Select(a => a.IdNumber).OrderBy(n => n).ToListAsync()));
    }

    [Fact]
    public async Task DisabledAccount_IsRefusedAndAudited()
    {
        Assert.True((await ExchangeAsync(Mint(An))).Succeeded);
        await _harness.QueryAsync(db => db.Set<CitizenAccountRecord>().ExecuteUpdateAsync(s => s.SetProperty(a => a.Disabled, true)));

        var result = await ExchangeAsync(Mint(An));

        Assert.Equal((FailureKind.PermissionDenied, IdentityReasons.AccountDisabled), (result.Failure?.Kind, result.Failure?.Reason));
        Assert.Equal([null, IdentityReasons.AccountDisabled], await AuditedReasonsAsync());
    }

    [Fact]
    public async Task Success_IsAudited()
    {
        Assert.True((await ExchangeAsync(Mint(An))).Succeeded);

        Assert.Equal([null], await AuditedReasonsAsync());
    }

    [Fact]
    public async Task InvalidAssertion_IsAudited()
    {
        Assert.Equal(IdentityReasons.AssertionInvalid, (await ExchangeAsync("not a token")).Failure?.Reason);

        Assert.Equal([IdentityReasons.AssertionInvalid], await AuditedReasonsAsync());
    }

    // Refusals by the rate limit are audited too: they are what an attack looks like in the log.
    [Fact]
    public async Task RateLimitedExchange_IsAudited()
    {
        for (var i = 0; i < 3; i++)
        {
            await ExchangeAsync("not a token");
        }

        var limited = await ExchangeAsync("not a token");

        Assert.NotEqual(IdentityReasons.AssertionInvalid, limited.Failure?.Reason);
        Assert.Equal(limited.Failure?.Reason, (await AuditedReasonsAsync()).Last());
    }

    private string Mint(string idNumber) => _harness.Issuer.Mint(idNumber, "Nguyễn Văn An", BirthDate, level: 2);

    private Task<IdentityResult<SignedIn>> ExchangeAsync(string assertion)
        => _harness.RunAsync<AssertionExchange, IdentityResult<SignedIn>>(e => e.ExchangeAsync(assertion, Client, CancellationToken.None));

    private Task<List<string?>> AuditedReasonsAsync()
        => _harness.QueryAsync(db => db.Set<SignInAuditRecord>()
            .Where(a => a.Method == SignInMethods.IdentityAssertion).OrderBy(a => a.Id).Select(a => a.Reason).ToListAsync());
}
