namespace GrpcDvc.Server.Identity;

/// <summary>
/// <see cref="IAccessTokenReader"/> over the <see cref="AccessTokenCodec"/>. Validation runs
/// synchronously from the signing-key ring's cache; only when the ring is due for a reread (at
/// most once per refresh interval) does a call wait for the database. Code on an async path (the
/// authorization interceptor) calls <see cref="AccessTokenCodec.ValidateAsync"/> directly, which
/// also tells an expired token from an invalid one.
/// </summary>
public sealed class AccessTokenReader(AccessTokenCodec codec) : IAccessTokenReader
{
    public CallerIdentity? Read(string bearerToken)
    {
        var result = codec.ValidateAsync(bearerToken, CancellationToken.None).GetAwaiter().GetResult();
        return result.Succeeded ? result.Value : null;
    }
}
