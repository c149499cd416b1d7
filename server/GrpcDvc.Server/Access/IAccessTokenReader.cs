namespace GrpcDvc.Server.Access;

/// <summary>Reads a bearer access token back into the caller it speaks for (what authentication needs; identity implements it).</summary>
public interface IAccessTokenReader
{
    /// <summary>
    /// The caller, or the reason the token is not valid now: malformed, bad signature, unknown or
    /// forgotten key, expired (ACCESS_TOKEN_EXPIRED), or its session revoked (SESSION_ENDED:
    /// signed out, refresh token reused, account disabled). Completes synchronously unless the
    /// signing-key ring is due for a reread or a session was just revoked on this instance.
    /// </summary>
    /// <param name="bearerToken">The token itself; a leading "Bearer " is tolerated.</param>
    ValueTask<AccessTokenCheck> ReadAsync(string bearerToken, CancellationToken cancellationToken);
}

/// <summary>What a token says: the caller, or why it speaks for nobody (a reason code portals act on, and a message).</summary>
public sealed record AccessTokenCheck(CallerIdentity? Caller, string RefusalReason, string RefusalMessage)
{
    public static AccessTokenCheck Valid(CallerIdentity caller) => new(caller, "", "");

    public static AccessTokenCheck Refused(string reason, string message) => new(null, reason, message);
}

/// <summary>Counts lookups of citizens' data per client address and per account (identity's rate limits implement it).</summary>
public interface ILookupLimiter
{
    /// <summary>Null when the lookup may go ahead; otherwise how long the caller should wait.</summary>
    TimeSpan? TryAcquire(ClientContext client, string account);
}
