namespace GrpcDvc.Server.Identity;

/// <summary>Reads a bearer access token back into the caller it speaks for (what the authorization interceptor needs).</summary>
public interface IAccessTokenReader
{
    /// <summary>
    /// The caller, or the reason the token is not valid now: malformed, bad signature, unknown or
    /// forgotten key, expired (ACCESS_TOKEN_EXPIRED), or its session revoked (SESSION_ENDED:
    /// signed out, refresh token reused, account disabled). Completes synchronously unless the
    /// signing-key ring is due for a reread.
    /// </summary>
    /// <param name="bearerToken">The token itself; a leading "Bearer " is tolerated.</param>
    ValueTask<IdentityResult<CallerIdentity>> ReadAsync(string bearerToken, CancellationToken cancellationToken);
}
