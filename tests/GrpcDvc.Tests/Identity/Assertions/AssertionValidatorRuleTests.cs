using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Assertions;
using Microsoft.IdentityModel.Tokens;

namespace GrpcDvc.Tests.Identity.Assertions;

/// <summary>
/// The validator's rules at their edges, on assertions shaped claim by claim by a configured
/// issuer: jti and iat present, jti length, lifetime, name, signature, replay within clock skew.
/// </summary>
public sealed class AssertionValidatorRuleTests : OnConfiguredIssuer
{
    [Fact]
    public async Task ValidAssertion_FromTheConfiguredEs256Issuer_IsAccepted()
        => AssertAccepted(await ValidateAsync(Issuer.Mint(Claims())));

    [Fact]
    public async Task TokenId_Of128Characters_IsAccepted()
        => AssertAccepted(await ValidateAsync(Issuer.Mint(Claims(c => c["jti"] = new string('a', 128)))));

    // The jti is stored as part of the replay key; an unbounded one would let a caller fill the table.
    [Fact]
    public async Task TokenId_Of129Characters_IsInvalid()
        => AssertInvalid(await ValidateAsync(Issuer.Mint(Claims(c => c["jti"] = new string('a', 129)))));

    [Fact]
    public async Task Assertion_WithoutIssuedAt_IsInvalid()
        => AssertInvalid(await ValidateAsync(Issuer.Mint(Claims(c => c.Remove("iat")))));

    [Fact]
    public async Task Assertion_WithoutTokenId_IsInvalid()
        => AssertInvalid(await ValidateAsync(Issuer.Mint(Claims(c => c.Remove("jti")))));

    // The maximum lifetime (five minutes by default) is allowed; only longer ones are refused.
    [Fact]
    public async Task Lifetime_ExactlyTheMaximum_IsAccepted()
        => AssertAccepted(await ValidateAsync(Issuer.Mint(Claims(c => c["exp"] = EpochTime.GetIntDate(Now().AddMinutes(5))))));

    [Fact]
    public async Task Lifetime_OneSecondOverTheMaximum_IsInvalid()
        => AssertInvalid(await ValidateAsync(Issuer.Mint(Claims(c => c["exp"] = EpochTime.GetIntDate(Now().AddMinutes(5).AddSeconds(1))))));

    [Fact]
    public async Task Name_Of200Characters_IsAccepted()
        => AssertAccepted(await ValidateAsync(Issuer.Mint(Claims(c => c["name"] = new string('A', 200)))));

    [Fact]
    public async Task Name_Of201Characters_IsInvalid()
        => AssertInvalid(await ValidateAsync(Issuer.Mint(Claims(c => c["name"] = new string('A', 201)))));

    [Fact]
    public async Task Name_OnlyWhitespace_IsInvalid()
        => AssertInvalid(await ValidateAsync(Issuer.Mint(Claims(c => c["name"] = "   "))));

    // Issuers may leave the kid out (or rotate it); every configured key of the issuer is tried.
    [Fact]
    public async Task Assertion_WithoutAKeyId_IsCheckedAgainstTheIssuersKeys()
        => AssertAccepted(await ValidateAsync(Issuer.Mint(Claims(), kid: null)));

    // "alg": "none" must never pass as a signed assertion from a trusted issuer.
    [Fact]
    public async Task Assertion_WithoutASignature_IsInvalid()
        => AssertInvalid(await ValidateAsync(ConfiguredIssuer.MintUnsigned(Claims())));

    // Within the clock skew after exp the assertion still validates, so it must still be remembered as used.
    [Fact]
    public async Task Assertion_ReplayedJustAfterExpiryWithinClockSkew_IsAReplay()
    {
        var assertion = Issuer.Mint(Claims());
        AssertAccepted(await ValidateAsync(assertion));
        Harness.Time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(20));

        Assert.Equal(IdentityReasons.AssertionReplayed, (await ValidateAsync(assertion)).Failure?.Reason);
    }

    private static void AssertAccepted(IdentityResult<IdentityAssertion> result) => Assert.True(result.Succeeded, result.Failure?.Message);

    // Clients point the user at the offending field: a malformed assertion names "assertion".
    private static void AssertInvalid(IdentityResult<IdentityAssertion> result)
        => Assert.Equal((IdentityReasons.AssertionInvalid, "assertion"), (result.Failure?.Reason, result.Failure?.Field));
}
