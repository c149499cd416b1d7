using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Secrets;
using GrpcDvc.Server.Identity.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// Within its refresh interval the ring answers from its cache: signing, validating a kid it knows and
/// deciding that no rotation is due read nothing from the database (every read takes a scope, counted here).
/// </summary>
public sealed partial class SigningKeyRotationTests
{
    [Fact]
    public async Task CachedRing_SigningWithinTheRefreshInterval_ReadsNothing()
    {
        var (ring, scopes, _) = await CachedRingOfTwoKeysAsync();
        using var owned = ring;
        var before = scopes.Created;

        await ring.SigningCredentialsAsync(CancellationToken.None);

        Assert.Equal(before, scopes.Created);
    }

    [Fact]
    public async Task CachedRing_AKidItKnows_IsNotReasonToReread_EvenInARingOfSeveralKeys()
    {
        // Only a kid missing from the ring triggers the early reread; one of two known keys must not.
        var (ring, scopes, known) = await CachedRingOfTwoKeysAsync();
        using var owned = ring;
        var before = scopes.Created;

        Assert.Contains(await ring.ValidationKeysAsync(known, CancellationToken.None), key => key.KeyId == known);

        Assert.Equal(before, scopes.Created);
    }

    [Fact]
    public async Task CachedRing_RotationNotDue_IsDecidedFromTheCache_WithoutTouchingTheDatabase()
    {
        // Every instance asks every few minutes; only a cache that says "due" is worth a write transaction.
        var (ring, scopes, _) = await CachedRingOfTwoKeysAsync();
        using var owned = ring;
        var before = scopes.Created;

        Assert.Null(await ring.RotateIfDueAsync(CancellationToken.None));

        Assert.Equal(before, scopes.Created);
    }

    /// <summary>
    /// A ring of its own over counted scopes, holding two keys (the first and one just rotated in), read
    /// two seconds ago: past the one-second gap for unknown kids, well inside the one-minute refresh.
    /// </summary>
    private async Task<(SigningKeyRing Ring, CountedScopes Scopes, string FirstKid)> CachedRingOfTwoKeysAsync()
    {
        var scopes = new CountedScopes(_harness.Services.GetRequiredService<IServiceScopeFactory>());
        var ring = new SigningKeyRing(scopes, _harness.Services.GetRequiredService<IdentitySecrets>(),
            _harness.Services.GetRequiredService<IdentityOptions>(), _harness.Time);
        var first = (await ring.SigningCredentialsAsync(CancellationToken.None)).Key.KeyId;
        await ring.RotateSigningKeyAsync();
        _harness.Time.Advance(TimeSpan.FromSeconds(2));
        return (ring, scopes, first);
    }

    private sealed class CountedScopes(IServiceScopeFactory inner) : IServiceScopeFactory
    {
        private int _created;

        public int Created => Volatile.Read(ref _created);

        public IServiceScope CreateScope()
        {
            Interlocked.Increment(ref _created);
            return inner.CreateScope();
        }
    }
}
