namespace GrpcDvc.Server.Identity.Assertions;

/// <summary>
/// What a trusted issuer (VNeID-style) vouches for: a citizen by ID number, name and birth date,
/// verified to level 1 (registered in the app) or 2 (verified in person, as good as the card).
/// </summary>
public sealed record IdentityAssertion(
    string Issuer,
    string IdNumber,
    string FullName,
    DateOnly BirthDate,
    int Level,
    string TokenId,
    DateTime ExpiresAt);

/// <summary>
/// Checks an identity assertion: a compact JWS (ES256 or RS256) from a configured trusted issuer,
/// addressed to our portal client id, short-lived, not seen before. Claims: iss, aud, sub (the
/// 12-digit ID number), name, birthdate (yyyy-MM-dd), level (1 or 2), jti, iat, exp.
/// </summary>
public interface IIdentityAssertionValidator
{
    Task<IdentityResult<IdentityAssertion>> ValidateAsync(string? assertion, CancellationToken cancellationToken);
}
