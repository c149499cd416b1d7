using System.Security.Cryptography;

namespace GrpcDvc.Server.Identity.Officials;

/// <summary>
/// A new TOTP seed for an official. The seed must stay readable to the server (it recomputes the
/// codes), so unlike a password it cannot be hashed: it is sealed with Data Protection
/// (<see cref="IdentitySecrets"/>), bound to the account id. It leaves the server once, as the otpauth://
/// URI shown to the official at enrolment, and is never returned again.
/// </summary>
public sealed record TotpEnrolment(byte[] Secret, string OtpAuthUri)
{
    /// <summary>160 bits, the HMAC-SHA1 block-friendly size RFC 4226 recommends.</summary>
    public const int SecretBytes = 20;

    public static TotpEnrolment Create(string issuerLabel, string accountLabel)
        => For(issuerLabel, accountLabel, RandomNumberGenerator.GetBytes(SecretBytes));

    /// <summary>The enrolment of a seed that exists already (configured, or re-shown for a retried request).</summary>
    public static TotpEnrolment For(string issuerLabel, string accountLabel, byte[] secret)
    {
        var label = Uri.EscapeDataString(issuerLabel) + ":" + Uri.EscapeDataString(accountLabel);
        var uri = $"otpauth://totp/{label}?secret={TotpCode.SecretForUri(secret)}&issuer={Uri.EscapeDataString(issuerLabel)}"
            + $"&algorithm=SHA1&digits={TotpCode.Digits}&period={TotpCode.StepSeconds}";
        return new TotpEnrolment(secret, uri);
    }
}
