namespace GrpcDvc.Server.Identity;

/// <summary>Reads a bearer access token back into the caller it speaks for.</summary>
public interface IAccessTokenReader
{
    /// <summary>The caller, or null when the token is not valid now (bad signature, unknown key, expired, malformed).</summary>
    CallerIdentity? Read(string bearerToken);
}
