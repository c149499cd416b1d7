using Microsoft.IdentityModel.JsonWebTokens;
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
            // Reading a token that just validated cannot fail; JwtBearer hands it to its events.
            SecurityToken = new JsonWebToken(token),
        };
    }
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
