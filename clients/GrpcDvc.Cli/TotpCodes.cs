using OtpNet;

namespace GrpcDvc.Cli;

/// <summary>RFC 6238 codes from a base32 seed (SHA-1, 6 digits, 30 s: what the server's otpauth:// URIs say), by Otp.NET.</summary>
internal static class TotpCodes
{
    public static bool IsBase32(string text)
        => text.TrimEnd('=').Length > 0 && text.TrimEnd('=').All(c => c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '2' and <= '7');

    public static string Now(string base32Secret, TimeProvider time)
        => new Totp(Base32Encoding.ToBytes(base32Secret)).ComputeTotp(time.GetUtcNow().UtcDateTime);
}
