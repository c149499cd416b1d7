using GrpcDvc.Server.Access;

namespace GrpcDvc.Server.Identity.Tokens;

/// <summary>
/// <see cref="IAccessTokenReader"/> over the <see cref="AccessTokenCodec"/> and the
/// <see cref="RevokedSessions"/> deny list: one validation answers both "who" and "why not".
/// </summary>
public sealed class AccessTokenReader(AccessTokenCodec codec, RevokedSessions revoked) : IAccessTokenReader
{
    private const string Scheme = "Bearer ";

    public async ValueTask<AccessTokenCheck> ReadAsync(string bearerToken, CancellationToken cancellationToken)
    {
        var token = bearerToken.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? bearerToken[Scheme.Length..].Trim() : bearerToken;
        var result = await codec.ValidateAsync(token, cancellationToken);
        if (result.Failure is { } failure)
        {
            return AccessTokenCheck.Refused(failure.Reason, failure.Message);
        }

        return await revoked.IsRevokedAsync(result.Value.SessionId, cancellationToken)
            ? AccessTokenCheck.Refused(IdentityReasons.SessionEnded, "This session has ended (signed out or revoked); sign in again.")
            : AccessTokenCheck.Valid(result.Value);
    }
}
