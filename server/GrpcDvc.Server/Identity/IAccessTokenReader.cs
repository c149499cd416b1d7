namespace GrpcDvc.Server.Identity;

/// <summary>Reads a bearer access token back into the caller it speaks for (what the authorization interceptor needs).</summary>
public interface IAccessTokenReader
{
    /// <summary>
    /// The caller, or null when the token is not valid now: malformed, bad signature, unknown or
    /// forgotten key, expired, or its session revoked (signed out, refresh token reused, account disabled).
    /// </summary>
    /// <param name="bearerToken">The token itself; a leading "Bearer " is tolerated.</param>
    CallerIdentity? Read(string bearerToken);
}
