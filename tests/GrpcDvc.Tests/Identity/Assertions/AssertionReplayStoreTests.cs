using GrpcDvc.Server.Identity.Assertions;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Identity.Assertions;

/// <summary>
/// The replay store on its own: an assertion is known by issuer and jti together, and is
/// remembered up to and including the moment it may be forgotten.
/// </summary>
public sealed class AssertionReplayStoreTests : OnIdentityHarness
{
    private const string Issuer = "https://vneid.example.vn";

    [Fact]
    public async Task SameIssuerAndTokenId_Twice_IsRefused()
    {
        var forgetAfter = Now().AddMinutes(2);
        Assert.True(await RememberAsync(Issuer, "jti-1", forgetAfter));

        Assert.False(await RememberAsync(Issuer, "jti-1", forgetAfter));
    }

    // Two issuers choose their jtis independently: one's id must not block the other's.
    [Fact]
    public async Task SameTokenId_FromAnotherIssuer_IsAccepted()
    {
        Assert.True(await RememberAsync(Issuer, "jti-1", Now().AddMinutes(2)));

        Assert.True(await RememberAsync("https://other.example.vn", "jti-1", Now().AddMinutes(2)));
    }

    [Fact]
    public async Task AnotherTokenId_FromTheSameIssuer_IsAccepted()
    {
        Assert.True(await RememberAsync(Issuer, "jti-1", Now().AddMinutes(2)));

        Assert.True(await RememberAsync(Issuer, "jti-2", Now().AddMinutes(2)));
    }

    // The caller passes the last instant the assertion could still validate: at that instant it is still a replay.
    [Fact]
    public async Task AtTheInstantItMayBeForgotten_TheIdIsStillRemembered()
    {
        var forgetAfter = Now().AddMinutes(2);
        Assert.True(await RememberAsync(Issuer, "jti-1", forgetAfter));
        Harness.Time.Advance(TimeSpan.FromMinutes(2));

        Assert.False(await RememberAsync(Issuer, "jti-1", forgetAfter));
    }

    // Expired ids are purged, so the table does not grow without bound.
    [Fact]
    public async Task PastTheInstantItMayBeForgotten_TheIdIsForgotten()
    {
        var forgetAfter = Now().AddMinutes(2);
        Assert.True(await RememberAsync(Issuer, "jti-1", forgetAfter));
        Harness.Time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));

        Assert.True(await RememberAsync(Issuer, "jti-2", Now().AddMinutes(2)));
        Assert.Equal(["jti-2"], await Harness.QueryAsync(db => Task.FromResult(db.Set<UsedAssertionRecord>().Select(s => s.TokenId).ToList())));
    }

    private DateTime Now() => Harness.Time.GetUtcNow().UtcDateTime;

    private async Task<bool> RememberAsync(string issuer, string tokenId, DateTime forgetAfter)
    {
        await using var scope = Harness.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<AssertionReplayStore>();
        return await store.TryRememberAsync(issuer, tokenId, forgetAfter, CancellationToken.None);
    }
}
