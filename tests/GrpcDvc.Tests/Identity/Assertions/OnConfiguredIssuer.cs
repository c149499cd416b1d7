using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Assertions;

namespace GrpcDvc.Tests.Identity.Assertions;

/// <summary>
/// A test class validating assertions of a <see cref="ConfiguredIssuer"/> on an identity harness of its own
/// (one per test), with the issuer's claims of a valid assertion to change claim by claim.
/// </summary>
public abstract class OnConfiguredIssuer : IAsyncLifetime
{
    protected ConfiguredIssuer Issuer { get; } = new();

    protected IdentityHarness Harness { get; private set; } = null!;

    public Task InitializeAsync()
    {
        var settings = Issuer.Settings;
        Configure(settings);
        Harness = IdentityHarness.Start(settings: settings);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Harness.DisposeAsync();
        Issuer.Dispose();
    }

    /// <summary>More settings beside the issuer's.</summary>
    protected virtual void Configure(Dictionary<string, string?> settings)
    {
    }

    protected DateTime Now() => Harness.Time.GetUtcNow().UtcDateTime;

    protected Dictionary<string, object> Claims(Action<Dictionary<string, object>>? change = null)
    {
        var claims = ConfiguredIssuer.ValidClaims(Now());
        change?.Invoke(claims);
        return claims;
    }

    protected Task<IdentityResult<IdentityAssertion>> ValidateAsync(string assertion)
        => Harness.RunAsync<IIdentityAssertionValidator, IdentityResult<IdentityAssertion>>(v => v.ValidateAsync(assertion, CancellationToken.None));
}
