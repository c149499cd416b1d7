using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Server.Access;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace GrpcDvc.Server.Identity.Tokens;

/// <summary>
/// Access tokens as ES256-signed JWTs (typ "at+jwt", RFC 9068) with a "kid" naming the ring key:
/// sub, kind, roles, agency (officials), id_number (citizens), sid (session), loa, jti.
/// Stateless to validate, so it needs no database scope: the interceptor can hold it.
/// </summary>
public sealed class AccessTokenCodec(SigningKeyRing ring, IdentityOptions options, TimeProvider time, VerifiedTokens verified)
{
    public const string TokenType = "at+jwt";

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public async Task<(string Token, DateTime ExpiresAt)> CreateAsync(CallerIdentity caller, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var expires = now + options.AccessTokenLifetime;
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [AccessTokenClaims.Subject] = caller.AccountId.ToString("D"),
            [AccessTokenClaims.Kind] = caller.Kind == AccountKind.Citizen ? "citizen" : "official",
            [AccessTokenClaims.Roles] = caller.Roles.Select(RoleNames.Name).ToArray(),
            [AccessTokenClaims.Session] = caller.SessionId.ToString("D"),
            [AccessTokenClaims.AssuranceLevel] = caller.AssuranceLevel,
            [AccessTokenClaims.TokenId] = Guid.NewGuid().ToString("N"),
        };
        if (caller.AgencyUnit is { } unit)
        {
            claims[AccessTokenClaims.AgencyUnit] = unit;
        }

        if (caller.IdNumber is { } idNumber)
        {
            claims[AccessTokenClaims.IdNumber] = idNumber;
        }

        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = expires,
            TokenType = TokenType,
            Claims = claims,
            SigningCredentials = await ring.SigningCredentialsAsync(cancellationToken),
        });
        return (token, expires);
    }

    public async Task<IdentityResult<CallerIdentity>> ValidateAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return Invalid();
        }

        // A remembered token skips the parse too: only its key's standing in the ring is asked again.
        var remembered = verified.TryGet(token, out var known);
        var kid = remembered ? known.Kid : _handler.CanReadToken(token) ? TryReadKid(token) : null;
        if (kid is null)
        {
            return Invalid();
        }

        var keys = await ring.ValidationKeysAsync(kid, cancellationToken);
        if (!keys.Any(k => string.Equals(k.KeyId, kid, StringComparison.Ordinal)))
        {
            // Its key is not (or no longer) one the ring validates with: refused, remembered or not.
            verified.Forget(token);
            return Invalid();
        }

        if (!remembered)
        {
            var parameters = new TokenValidationParameters
            {
                ValidIssuer = options.Issuer,
                ValidAudience = options.Audience,
                ValidAlgorithms = [SigningKeyRing.Algorithm],
                ValidTypes = [TokenType],
                IssuerSigningKeys = keys,
                TryAllIssuerSigningKeys = false,
                RequireSignedTokens = true,
                ValidateLifetime = false, // checked below on the injected clock
            };
            var result = await _handler.ValidateTokenAsync(token, parameters);
            if (!result.IsValid || result.SecurityToken is not JsonWebToken validated || AccessTokenClaims.Read(validated) is not { } caller)
            {
                return Invalid();
            }

            known = new VerifiedToken(kid, caller, validated.ValidFrom, validated.ValidTo);
            verified.Remember(token, known);
        }

        return TokenLifetime.Check(known.ValidFrom, known.ValidTo, time.GetUtcNow().UtcDateTime, options.ClockSkew) switch
        {
            LifetimeCheck.Valid => IdentityResult<CallerIdentity>.Ok(known.Caller),
            LifetimeCheck.Expired => new IdentityFailure(FailureKind.Unauthenticated, IdentityReasons.AccessTokenExpired, "The access token has expired; refresh it."),
            _ => Invalid(),
        };
    }

    /// <summary>
    /// The key id of a token that has the shape of a JWT; null when its header or payload does not decode
    /// (three dot-separated parts of garbage pass <c>CanReadToken</c> but make the JsonWebToken constructor throw).
    /// </summary>
    private static string? TryReadKid(string token)
    {
        try
        {
            return new JsonWebToken(token).Kid;
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenMalformedException or System.Text.Json.JsonException or FormatException)
        {
            return null;
        }
    }

    private static IdentityFailure Invalid()
        => new(FailureKind.Unauthenticated, IdentityReasons.AccessTokenInvalid, "The access token is not valid.");
}

/// <summary>The claim names of our access tokens, and reading a validated token back into a <see cref="CallerIdentity"/>.</summary>
public static class AccessTokenClaims
{
    public const string Subject = "sub";
    public const string Kind = "kind";
    public const string Roles = "roles";
    public const string AgencyUnit = "agency";
    public const string IdNumber = "id_number";
    public const string Session = "sid";
    public const string AssuranceLevel = "loa";
    public const string TokenId = "jti";

    public static CallerIdentity? Read(JsonWebToken token)
    {
        if (!Guid.TryParse(token.Subject, out var accountId)
            || !token.TryGetPayloadValue<string>(Session, out var sid) || !Guid.TryParse(sid, out var sessionId)
            || !token.TryGetPayloadValue<string>(Kind, out var kindName)
            || !token.TryGetPayloadValue<string[]>(Roles, out var roleNames))
        {
            return null;
        }

        AccountKind? kind = kindName switch
        {
            "citizen" => AccountKind.Citizen,
            "official" => AccountKind.Official,
            _ => null,
        };
        var roles = new List<Role>();
        foreach (var name in roleNames)
        {
            if (!RoleNames.TryParse(name, out var role))
            {
                return null;
            }

            roles.Add(role);
        }

        if (kind is null)
        {
            return null;
        }

        token.TryGetPayloadValue<string>(AgencyUnit, out var unit);
        token.TryGetPayloadValue<string>(IdNumber, out var idNumber);
        token.TryGetPayloadValue<int>(AssuranceLevel, out var level);
        return new CallerIdentity(accountId, kind.Value, roles, unit, idNumber, sessionId, level);
    }
}
