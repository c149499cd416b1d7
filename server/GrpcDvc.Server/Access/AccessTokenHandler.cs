using Microsoft.IdentityModel.Tokens;

namespace GrpcDvc.Server.Access;

/// <summary>
/// JwtBearer's token handler for GrpcDvc's access tokens: validation is <see cref="IAccessTokenReader"/>'s
/// (ES256 against the signing-key ring, which it may reread asynchronously; lifetime on the injected clock;
/// revoked sessions), so ASP.NET Core authentication and the gate agree on every token. A refusal carries
/// its reason (<see cref="AccessTokenRejectedException"/>) so the gate can tell "refresh" from "sign in again".
/// </summary>
public sealed class AccessTokenHandler(IAccessTokenReader reader) : TokenHandler
{
    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var read = await reader.ReadAsync(token, CancellationToken.None);
        if (read.Caller is not { } caller)
        {
            return new TokenValidationResult { IsValid = false, Exception = new AccessTokenRejectedException(read.RefusalReason, read.RefusalMessage) };
        }

        return new TokenValidationResult
        {
            IsValid = true,
            ClaimsIdentity = new CallerPrincipal(caller),
            // JwtBearer hands a token to its events; parsing the JWT a second time just for that cost CPU on
            // every call, and nothing here reads it, so it gets a marker of the validated token instead.
            SecurityToken = new ValidatedAccessToken(caller.SessionId),
        };
    }
}

/// <summary>
/// What JwtBearer receives for a token <see cref="IAccessTokenReader"/> validated: the session it belongs to.
/// ValidTo is left at DateTime.MinValue, which JwtBearer reads as "no expiry to record" in the
/// authentication properties (the token's lifetime is the reader's to enforce, on every call).
/// </summary>
public sealed class ValidatedAccessToken(Guid sessionId) : SecurityToken
{
    public override string Id { get; } = sessionId.ToString("D");

    public override string Issuer => string.Empty;

    public override SecurityKey? SecurityKey => null;

    public override SecurityKey? SigningKey { get; set; }

    public override DateTime ValidFrom => DateTime.MinValue;

    public override DateTime ValidTo => DateTime.MinValue;

    public override string UnsafeToString() => Id;
}

/// <summary>Why an access token was refused (ACCESS_TOKEN_INVALID, ACCESS_TOKEN_EXPIRED, SESSION_ENDED).</summary>
public sealed class AccessTokenRejectedException : SecurityTokenValidationException
{
    public AccessTokenRejectedException(string reason, string message)
        : base(message) => Reason = reason;

    public AccessTokenRejectedException()
        : this(AccessReasons.AccessTokenInvalid, "The access token is not valid.")
    {
    }

    public AccessTokenRejectedException(string message)
        : this(AccessReasons.AccessTokenInvalid, message)
    {
    }

    public AccessTokenRejectedException(string message, Exception innerException)
        : base(message, innerException) => Reason = AccessReasons.AccessTokenInvalid;

    /// <summary>The reason code the gate answers with (ErrorInfo.reason).</summary>
    public string Reason { get; }
}
