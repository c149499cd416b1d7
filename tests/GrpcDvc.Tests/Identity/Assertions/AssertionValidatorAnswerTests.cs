using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Assertions;
using Microsoft.IdentityModel.Tokens;

namespace GrpcDvc.Tests.Identity.Assertions;

/// <summary>
/// What the validator answers, beyond pass or fail: each refusal's reason and the message the caller
/// reads (a portal shows it, so it must say what was wrong), the identity it reads from an accepted
/// assertion, the level written as a number or as a string, and a key id the issuer's keys do not name.
/// </summary>
public sealed class AssertionValidatorAnswerTests : OnConfiguredIssuer
{
    protected override void Configure(Dictionary<string, string?> settings) => settings["Dvc:Identity:Assertions:MinimumLevel"] = "2";

    [Fact]
    public async Task Accepted_ReadsTheSubjectTrimmedNameBirthDateLevelTokenIdAndExpiry()
    {
        var claims = Claims(c => c["name"] = "  Nguyễn Văn An ");
        var identity = Accepted(await ValidateAsync(Issuer.Mint(claims)));

        Assert.Equal((ConfiguredIssuer.Name, "001203004567", "Nguyễn Văn An", new DateOnly(2003, 5, 17), 2, (string)claims["jti"]),
            (identity.Issuer, identity.IdNumber, identity.FullName, identity.BirthDate, identity.Level, identity.TokenId));
        Assert.Equal(EpochTime.DateTime((long)claims["exp"]), identity.ExpiresAt);
    }

    // Issuers write the level as a number or as a string of its digits; anything else is no level.
    [Fact]
    public async Task Level_WrittenAsAString_IsRead()
        => Assert.Equal(2, Accepted(await ValidateAsync(Issuer.Mint(Claims(c => c["level"] = "2")))).Level);

    [Theory]
    [InlineData("two")]
    [InlineData("3")]
    public async Task Level_NotOneOrTwo_IsInvalid(string level)
        => AssertRefused(await ValidateAsync(Issuer.Mint(Claims(c => c["level"] = level))), IdentityReasons.AssertionInvalid, Malformed);

    [Fact]
    public async Task Level_AsANumberOutsideOneAndTwo_IsInvalid()
        => AssertRefused(await ValidateAsync(Issuer.Mint(Claims(c => c["level"] = 3))), IdentityReasons.AssertionInvalid, Malformed);

    [Fact]
    public async Task Level_BelowTheServicesMinimum_IsPermissionDenied_NamingTheLevelNeeded()
        => AssertRefused(await ValidateAsync(Issuer.Mint(Claims(c => c["level"] = 1))), IdentityReasons.AssertionLevelInsufficient,
            "This service needs an identity verified to level 2.", field: null);

    // An issuer rotating its keys may sign with a kid the configuration does not name yet: every key of the issuer is tried.
    [Fact]
    public async Task Assertion_WithAKeyIdNotConfigured_IsCheckedAgainstTheIssuersKeys()
        => Accepted(await ValidateAsync(Issuer.Mint(Claims(), kid: "ec-2027")));

    [Fact]
    public async Task NotAJws_SaysSo()
        => AssertRefused(await ValidateAsync("not-a-token"), IdentityReasons.AssertionInvalid, "The assertion is not a compact JWS.");

    [Fact]
    public async Task Assertion_WithoutAnIssuer_SaysSo()
        => AssertRefused(await ValidateAsync(Issuer.Mint(Claims(c => c.Remove("iss")))), IdentityReasons.AssertionInvalid, "The assertion names no issuer.");

    [Fact]
    public async Task Assertion_FromAnIssuerNotTrusted_SaysSo()
        => AssertRefused(await ValidateAsync(Issuer.Mint(Claims(c => c["iss"] = "https://idp.example.com"))), IdentityReasons.AssertionUntrustedIssuer,
            "The assertion's issuer is not trusted.", field: null);

    [Fact]
    public async Task Assertion_ForAnotherAudience_SaysTheSignatureOrAudienceIsNotValid()
        => AssertRefused(await ValidateAsync(Issuer.Mint(Claims(c => c["aud"] = "another-portal"))), IdentityReasons.AssertionInvalid,
            "The assertion's signature or audience is not valid.");

    [Fact]
    public async Task Assertion_Expired_SaysToSignInAgain()
        => AssertRefused(await ValidateAsync(Issuer.Mint(Claims(c =>
            {
                c["iat"] = EpochTime.GetIntDate(Now().AddMinutes(-3));
                c["exp"] = EpochTime.GetIntDate(Now().AddMinutes(-2));
            }))), IdentityReasons.AssertionExpired, "The assertion has expired; sign in again at the issuer.", field: null);

    [Fact]
    public async Task Assertion_NotYetValid_SaysItsTimesAreNotValid()
        => AssertRefused(await ValidateAsync(Issuer.Mint(Claims(c => c["nbf"] = EpochTime.GetIntDate(Now().AddSeconds(45))))),
            IdentityReasons.AssertionInvalid, "The assertion's times are not valid.");

    [Fact]
    public async Task Assertion_WithoutExpiry_SaysItsTimesAreNotValid()
        => AssertRefused(await ValidateAsync(Issuer.Mint(Claims(c => c.Remove("exp")))), IdentityReasons.AssertionInvalid, "The assertion's times are not valid.");

    [Fact]
    public async Task Assertion_WithoutTokenId_SaysItNeedsJtiAndIat()
        => AssertRefused(await ValidateAsync(Issuer.Mint(Claims(c => c.Remove("jti")))), IdentityReasons.AssertionInvalid, "The assertion needs jti and iat.");

    [Fact]
    public async Task Assertion_LivingTooLong_SaysSo()
        => AssertRefused(await ValidateAsync(Issuer.Mint(Claims(c => c["exp"] = EpochTime.GetIntDate(Now().AddMinutes(30))))),
            IdentityReasons.AssertionInvalid, "The assertion lives too long to be a one-time sign-in.");

    [Fact]
    public async Task Assertion_WithAMalformedSubject_SaysWhatMayBeWrong()
        => AssertRefused(await ValidateAsync(Issuer.Mint(Claims(c => c["sub"] = "12345"))), IdentityReasons.AssertionInvalid, Malformed);

    [Fact]
    public async Task Assertion_UsedTwice_SaysItHasBeenUsed()
    {
        var assertion = Issuer.Mint(Claims());
        Accepted(await ValidateAsync(assertion));

        AssertRefused(await ValidateAsync(assertion), IdentityReasons.AssertionReplayed, "The assertion has been used already.", field: null);
    }

    private const string Malformed = "The assertion's subject, name, birth date or level is missing or malformed.";

    private static IdentityAssertion Accepted(IdentityResult<IdentityAssertion> result)
    {
        Assert.True(result.Succeeded, result.Failure?.Message);
        return result.Value!;
    }

    private static void AssertRefused(IdentityResult<IdentityAssertion> result, string reason, string message, string? field = "assertion")
        => Assert.Equal((reason, message, field), (result.Failure?.Reason, result.Failure?.Message, result.Failure?.Field));
}
