namespace GrpcDvc.Server.Access;

/// <summary>
/// Stable reason codes (google.rpc.ErrorInfo.reason) of the authorization gate and of the scope
/// checks services make. Portals localise them; never rename one, only add.
/// </summary>
public static class AccessReasons
{
    /// <summary>A non-public rpc was called without an access token.</summary>
    public const string AccessTokenMissing = "ACCESS_TOKEN_MISSING";

    /// <summary>The authorization header is not "Bearer &lt;token&gt;".</summary>
    public const string AuthorizationMalformed = "AUTHORIZATION_MALFORMED";

    /// <summary>The access token is malformed, wrongly signed, by an unknown key, or not ours.</summary>
    public const string AccessTokenInvalid = "ACCESS_TOKEN_INVALID";

    /// <summary>The access token has expired: refresh the session.</summary>
    public const string AccessTokenExpired = "ACCESS_TOKEN_EXPIRED";

    /// <summary>The access token is genuine and unexpired but its session was signed out or revoked.</summary>
    public const string SessionEnded = "SESSION_ENDED";

    /// <summary>The caller holds none of the roles the rpc's policy names.</summary>
    public const string RoleNotAllowed = "ROLE_NOT_ALLOWED";

    /// <summary>The rpc declares no policy, so nobody may call it (deny by default).</summary>
    public const string NoPolicy = "NO_POLICY";

    /// <summary>An agency-scoped rpc was called by an official bound to no agency unit.</summary>
    public const string AgencyUnitMissing = "AGENCY_UNIT_MISSING";

    /// <summary>The subject lies outside the official's unit and the units under it.</summary>
    public const string OutsideAgency = "OUTSIDE_AGENCY_SCOPE";

    /// <summary>A citizen asked for somebody else's record.</summary>
    public const string NotOwnRecord = "NOT_OWN_RECORD";

    /// <summary>The request states no purpose (AccessContext.purpose) where the policy requires one.</summary>
    public const string PurposeRequired = "PURPOSE_REQUIRED";

    /// <summary>Too many lookups from this address or account; RetryInfo says when to try again.</summary>
    public const string LookupRateLimited = "LOOKUP_RATE_LIMITED";
}
