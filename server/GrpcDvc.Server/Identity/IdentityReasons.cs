namespace GrpcDvc.Server.Identity;

/// <summary>
/// Stable reason codes (google.rpc.ErrorInfo.reason) of identity failures. Portals localise them;
/// never rename one, only add.
/// </summary>
public static class IdentityReasons
{
    public const string IdNumberInvalid = "ID_NUMBER_INVALID";
    public const string PhoneInvalid = "PHONE_INVALID";
    public const string NameInvalid = "NAME_INVALID";
    public const string BirthDateInvalid = "BIRTH_DATE_INVALID";
    public const string PasswordTooWeak = "PASSWORD_TOO_WEAK";
    public const string RegistryMismatch = "REGISTRY_MISMATCH";
    public const string AccountExists = "ACCOUNT_EXISTS";
    public const string ClientRequestIdReused = "CLIENT_REQUEST_ID_REUSED";

    public const string OtpNotFound = "OTP_NOT_FOUND";
    public const string OtpInvalid = "OTP_INVALID";
    public const string OtpExpired = "OTP_EXPIRED";
    public const string OtpAttemptsExhausted = "OTP_ATTEMPTS_EXHAUSTED";
    public const string OtpAlreadyUsed = "OTP_ALREADY_USED";
    public const string OtpResendTooSoon = "OTP_RESEND_TOO_SOON";
    public const string OtpSendLimit = "OTP_SEND_LIMIT";
    public const string SmsDeliveryFailed = "SMS_DELIVERY_FAILED";

    public const string InvalidCredentials = "INVALID_CREDENTIALS";
    public const string AccountLocked = "ACCOUNT_LOCKED";
    public const string AccountDisabled = "ACCOUNT_DISABLED";
    public const string RateLimited = "RATE_LIMITED";

    /// <summary>The sign-in and OTP limits could not be counted (their database failed): refused, UNAVAILABLE.</summary>
    public const string RateLimitsUnavailable = "RATE_LIMITS_UNAVAILABLE";

    /// <summary>Audit-only detail behind INVALID_CREDENTIALS: which factor failed is not told to the caller.</summary>
    public const string PasswordWrong = "PASSWORD_WRONG";
    public const string UnknownAccount = "UNKNOWN_ACCOUNT";
    public const string NoPassword = "NO_PASSWORD";
    public const string TotpInvalid = "TOTP_INVALID";
    public const string TotpReplayed = "TOTP_REPLAYED";

    public const string AssertionInvalid = "ASSERTION_INVALID";
    public const string AssertionUntrustedIssuer = "ASSERTION_UNTRUSTED_ISSUER";
    public const string AssertionExpired = "ASSERTION_EXPIRED";
    public const string AssertionReplayed = "ASSERTION_REPLAYED";
    public const string AssertionLevelInsufficient = "ASSERTION_LEVEL_INSUFFICIENT";

    public const string AccessTokenInvalid = Access.AccessReasons.AccessTokenInvalid;
    public const string AccessTokenExpired = Access.AccessReasons.AccessTokenExpired;
    public const string RefreshTokenInvalid = "REFRESH_TOKEN_INVALID";
    public const string RefreshTokenExpired = "REFRESH_TOKEN_EXPIRED";
    public const string RefreshTokenRevoked = "REFRESH_TOKEN_REVOKED";

    /// <summary>An access token whose session was signed out or revoked.</summary>
    public const string SessionEnded = Access.AccessReasons.SessionEnded;
    public const string RefreshTokenReused = "REFRESH_TOKEN_REUSED";

    public const string PermissionDenied = "PERMISSION_DENIED";
    public const string UsernameInvalid = "USERNAME_INVALID";
    public const string UsernameTaken = "USERNAME_TAKEN";
    public const string RolesInvalid = "ROLES_INVALID";
    public const string AgencyUnitInvalid = "AGENCY_UNIT_INVALID";
    public const string OfficialNotFound = "OFFICIAL_NOT_FOUND";
    public const string OfficialIdInvalid = "OFFICIAL_ID_INVALID";
    public const string ClientRequestIdInvalid = "CLIENT_REQUEST_ID_INVALID";
    public const string RoleInvalid = "ROLE_INVALID";

    /// <summary>The same reason as every other listing's.</summary>
    public const string PageTokenInvalid = "INVALID_PAGE_TOKEN";

    /// <summary>An administrator tried to drop their own administrator role (another administrator must).</summary>
    public const string AdministratorSelfDemotion = "ADMINISTRATOR_SELF_DEMOTION";
    public const string AdministratorSelfDisable = "ADMINISTRATOR_SELF_DISABLE";
    public const string AdministratorSelfReenrolment = "ADMINISTRATOR_SELF_REENROLMENT";

    /// <summary>A retried re-enrolment whose seed a later re-enrolment has replaced.</summary>
    public const string TotpEnrolmentSuperseded = "TOTP_ENROLMENT_SUPERSEDED";
}
