using System.Globalization;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.Tokens;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace GrpcDvc.Server.Identity.Assertions;

/// <inheritdoc cref="IIdentityAssertionValidator"/>
public sealed class IdentityAssertionValidator(
    TrustedIssuers issuers, AssertionReplayStore replays, IdentityOptions options, TimeProvider time) : IIdentityAssertionValidator
{
    private const int MaxTokenIdLength = 128;
    private static readonly JsonWebTokenHandler Handler = new();

    public async Task<IdentityResult<IdentityAssertion>> ValidateAsync(string? assertion, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(assertion) || !Handler.CanReadToken(assertion))
        {
            return Invalid("The assertion is not a compact JWS.");
        }

        var issuer = new JsonWebToken(assertion).Issuer;
        if (string.IsNullOrEmpty(issuer))
        {
            // Without "iss" it is not an assertion at all, rather than one from a stranger.
            return Invalid("The assertion names no issuer.");
        }

        if (issuers.KeysOf(issuer) is not { } keys)
        {
            return new IdentityFailure(FailureKind.Unauthenticated, IdentityReasons.AssertionUntrustedIssuer, "The assertion's issuer is not trusted.");
        }

        var settings = options.Assertions;
        var result = await Handler.ValidateTokenAsync(assertion, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = settings.PortalClientId,
            IssuerSigningKeys = keys,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSha256],
            TryAllIssuerSigningKeys = true,
            RequireSignedTokens = true,
            ValidateLifetime = false, // checked below on the injected clock
        });
        if (!result.IsValid)
        {
            return Invalid("The assertion's signature or audience is not valid.");
        }

        var token = (JsonWebToken)result.SecurityToken;
        switch (TokenLifetime.Check(token, time.GetUtcNow().UtcDateTime, options.ClockSkew))
        {
            case LifetimeCheck.Expired:
                return new IdentityFailure(FailureKind.Unauthenticated, IdentityReasons.AssertionExpired, "The assertion has expired; sign in again at the issuer.");
            case LifetimeCheck.Missing or LifetimeCheck.NotYetValid:
                return Invalid("The assertion's times are not valid.");
        }

        if (string.IsNullOrEmpty(token.Id) || token.Id.Length > MaxTokenIdLength || token.IssuedAt == DateTime.MinValue)
        {
            return Invalid("The assertion needs jti and iat.");
        }

        if (token.ValidTo - token.IssuedAt > settings.MaxLifetime)
        {
            return Invalid("The assertion lives too long to be a one-time sign-in.");
        }

        if (Read(token, issuer) is not { } identity)
        {
            return Invalid("The assertion's subject, name, birth date or level is missing or malformed.");
        }

        if (identity.Level < settings.MinimumLevel)
        {
            return new IdentityFailure(FailureKind.PermissionDenied, IdentityReasons.AssertionLevelInsufficient,
                $"This service needs an identity verified to level {settings.MinimumLevel}.");
        }

        if (!await replays.TryRememberAsync(issuer, token.Id, identity.ExpiresAt + options.ClockSkew, cancellationToken))
        {
            return new IdentityFailure(FailureKind.Unauthenticated, IdentityReasons.AssertionReplayed, "The assertion has been used already.");
        }

        return IdentityResult<IdentityAssertion>.Ok(identity);
    }

    private static IdentityAssertion? Read(JsonWebToken token, string issuer)
    {
        token.TryGetPayloadValue<string>(AssertionClaims.Name, out var name);
        token.TryGetPayloadValue<string>(AssertionClaims.BirthDate, out var birth);
        var level = Level(token);
        if (!CitizenIdNumber.IsValid(token.Subject) || string.IsNullOrWhiteSpace(name) || name.Length > 200
            || !DateOnly.TryParseExact(birth, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birthDate)
            || level is not (1 or 2)
            || CitizenIdNumber.Check(token.Subject, birthDate) is not null)
        {
            return null;
        }

        return new IdentityAssertion(issuer, token.Subject, name.Trim(), birthDate, level.Value, token.Id, token.ValidTo);
    }

    // Issuers write the level as a number or as a string; both are read.
    private static int? Level(JsonWebToken token)
    {
        if (token.TryGetPayloadValue<int>(AssertionClaims.Level, out var number))
        {
            return number;
        }

        return token.TryGetPayloadValue<string>(AssertionClaims.Level, out var text)
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out number) ? number : null;
    }

    private static IdentityFailure Invalid(string message)
        => new(FailureKind.Unauthenticated, IdentityReasons.AssertionInvalid, message) { Field = "assertion" };
}

/// <summary>The claim names of identity assertions beyond the registered JWT ones.</summary>
public static class AssertionClaims
{
    public const string Name = "name";
    public const string BirthDate = "birthdate";
    public const string Level = "level";
}
