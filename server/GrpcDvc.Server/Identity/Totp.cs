using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace GrpcDvc.Server.Identity;

/// <summary>
/// Time-based one-time passwords, RFC 6238 over RFC 4226: HMAC-SHA1 of the 30-second step
/// count since the Unix epoch, dynamically truncated to 6 digits — what every authenticator app
/// computes from an otpauth:// URI.
/// </summary>
public static class Totp
{
    public const int StepSeconds = 30;
    public const int Digits = 6;

    /// <summary>The step an instant falls in (RFC 6238 T).</summary>
    public static long StepAt(DateTimeOffset instant) => instant.ToUnixTimeSeconds() / StepSeconds;

    /// <summary>The code for one step (RFC 4226 HOTP with the step as counter).</summary>
    public static string Compute(ReadOnlySpan<byte> secret, long step, int digits = Digits)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        Span<byte> mac = stackalloc byte[HMACSHA1.HashSizeInBytes];
#pragma warning disable CA5350 // HMAC-SHA1 is what RFC 6238 and every authenticator app use; HMAC does not rely on SHA-1's collision resistance.
        HMACSHA1.HashData(secret, counter, mac);
#pragma warning restore CA5350
        var offset = mac[^1] & 0x0F;
        var binary = (BinaryPrimitives.ReadInt32BigEndian(mac[offset..]) & 0x7FFFFFFF) % Pow10(digits);
        return binary.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0');
    }

    /// <summary>
    /// The step whose code matches, looking one step either side of now for clock drift and
    /// typing time; null if none does. Comparison is constant-time per candidate.
    /// </summary>
    public static long? Match(ReadOnlySpan<byte> secret, string? code, DateTimeOffset now, int window = 1)
    {
        if (code is not { Length: Digits } || !code.All(char.IsAsciiDigit))
        {
            return null;
        }

        var given = Encoding.ASCII.GetBytes(code);
        var current = StepAt(now);
        long? matched = null;
        for (var step = current - window; step <= current + window; step++)
        {
            // No early exit: every candidate is computed, so timing says nothing about which matched.
            if (CryptographicOperations.FixedTimeEquals(given, Encoding.ASCII.GetBytes(Compute(secret, step))))
            {
                matched ??= step;
            }
        }

        return matched;
    }

    private static int Pow10(int digits) => digits switch
    {
        6 => 1_000_000,
        7 => 10_000_000,
        8 => 100_000_000,
        _ => throw new ArgumentOutOfRangeException(nameof(digits), digits, "TOTP codes have 6 to 8 digits."),
    };
}
