namespace GrpcDvc.Server.Identity;

/// <summary>
/// <see cref="IAccessTokenReader"/> over the <see cref="AccessTokenCodec"/> and the
/// <see cref="RevokedSessions"/> deny list. Synchronous by contract: the codec completes
/// synchronously from the signing-key ring's cache, and only when the ring is due for a reread
/// (once per refresh interval, or for an unknown kid) does a call wait for the database.
/// </summary>
public sealed class AccessTokenReader(AccessTokenCodec codec, RevokedSessions revoked) : IAccessTokenReader
{
    private const string Scheme = "Bearer ";

    public CallerIdentity? Read(string bearerToken)
    {
        var token = bearerToken.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? bearerToken[Scheme.Length..].Trim() : bearerToken;
        var result = codec.ValidateAsync(token, CancellationToken.None).GetAwaiter().GetResult();
        return result.Succeeded && !revoked.IsRevoked(result.Value.SessionId) ? result.Value : null;
    }
}
