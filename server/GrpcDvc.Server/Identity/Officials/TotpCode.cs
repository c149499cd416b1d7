using OtpNet;

namespace GrpcDvc.Server.Identity.Officials;

/// <summary>
/// Our rules for officials' TOTP codes on top of Otp.NET (RFC 6238 HMAC-SHA1, what every
/// authenticator app computes from an otpauth:// URI): 6 digits, 30-second steps, and a code of
/// one step either side of now is still accepted (clock drift and typing time). That a step is
/// used once only is the caller's rule (<see cref="OfficialAccountRecord.TotpLastStep"/>), for
/// which <see cref="Match"/> says which step matched.
/// </summary>
public static class TotpCode
{
    public const int StepSeconds = 30;
    public const int Digits = 6;

    /// <summary>Steps either side of the current one whose codes are still accepted.</summary>
    public const int StepsOfDrift = 1;

    private static readonly VerificationWindow Window = new(previous: StepsOfDrift, future: StepsOfDrift);

    /// <summary>The step whose code matches, within <see cref="StepsOfDrift"/> of now; null if none does or the code is malformed.</summary>
    public static long? Match(byte[] secret, string? code, DateTimeOffset now)
    {
        // Only six ASCII digits can be a code; anything else is refused before any HMAC is computed.
        if (code is not { Length: Digits } || !code.All(char.IsAsciiDigit))
        {
            return null;
        }

        var totp = new Totp(secret, StepSeconds, OtpHashMode.Sha1, Digits);
        return totp.VerifyTotp(now.UtcDateTime, code, out var step, Window) ? step : null;
    }

    /// <summary>The seed as an otpauth:// URI carries it: base32 without the '=' padding, as the Key URI format asks.</summary>
    public static string SecretForUri(byte[] secret) => Base32Encoding.ToString(secret).TrimEnd('=');

    /// <summary>A configured base32 seed (padding and lower case accepted); throws <see cref="ArgumentException"/> on other characters.</summary>
    public static byte[] ParseSecret(string base32) => Base32Encoding.ToBytes(base32.Trim());
}
