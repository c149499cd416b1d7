using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace GrpcDvc.Server.Identity.Secrets;

/// <summary>What a sealed secret is; each kind has its own Data Protection purpose, so one kind never opens as another.</summary>
public enum SecretKind
{
    /// <summary>An official's TOTP seed, bound to the account id.</summary>
    TotpSeed,

    /// <summary>An access-token signing key (PKCS#8), bound to its kid.</summary>
    SigningKey,

    /// <summary>An SMS one-time code, bound to its challenge id.</summary>
    OtpCode,

    /// <summary>The text of a message in the development SMS outbox (it carries a code), bound to the message id.</summary>
    SmsText,
}

/// <summary>
/// Seals the identity secrets the server must read again — officials' TOTP seeds, token signing
/// keys, SMS codes — with ASP.NET Core Data Protection (<see cref="IdentityRegistration"/>: key
/// ring in the database, application name <see cref="ApplicationName"/>, so every instance opens
/// what another sealed). The purpose chain is the kind and the row the value belongs to, so a
/// sealed value moved to another row or column does not open. Keys rotate on Data Protection's
/// own schedule (90 days); retired keys stay in the ring and still open what they sealed.
/// This replaced a 32-byte master key (Dvc:Identity:MasterKey or DataDir/identity/master.key)
/// before any production deployment: values sealed under that key do not open any more.
/// </summary>
public sealed class IdentitySecrets(IDataProtectionProvider provider)
{
    /// <summary>The Data Protection application name: the same on every instance, so they share one key ring.</summary>
    public const string ApplicationName = "GrpcDvc";

    private const string RootPurpose = "GrpcDvc.Identity";

    /// <summary>Encrypts and authenticates <paramref name="plaintext"/> for one row (<paramref name="boundTo"/>: its id or kid).</summary>
    public string Seal(SecretKind kind, byte[] plaintext, string boundTo)
        => Convert.ToBase64String(Protector(kind, boundTo).Protect(plaintext));

    /// <summary>Opens what <see cref="Seal"/> made; throws <see cref="CryptographicException"/> if it was altered, moved or sealed as another kind.</summary>
    public byte[] Unseal(SecretKind kind, string sealedValue, string boundTo)
    {
        byte[] payload;
        try
        {
            payload = Convert.FromBase64String(sealedValue);
        }
        catch (FormatException e)
        {
            throw new CryptographicException("The sealed value is not base64.", e);
        }

        return Protector(kind, boundTo).Unprotect(payload);
    }

    /// <summary>An SMS code as stored on its challenge: sealed, not hashed, since six digits hash to a guessable value.</summary>
    public string SealOtpCode(Guid challengeId, string code)
        => Seal(SecretKind.OtpCode, Encoding.ASCII.GetBytes(code), challengeId.ToString("N"));

    /// <summary>Whether <paramref name="code"/> is the sealed one, compared in constant time; a value that does not open matches nothing.</summary>
    public bool OtpCodeMatches(Guid challengeId, string sealedCode, string? code)
    {
        byte[] expected;
        try
        {
            expected = Unseal(SecretKind.OtpCode, sealedCode, challengeId.ToString("N"));
        }
        catch (CryptographicException)
        {
            return false; // never sent, tampered with, or sealed under a key ring that is gone
        }

        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(code ?? ""));
    }

    private IDataProtector Protector(SecretKind kind, string boundTo)
        => provider.CreateProtector(RootPurpose, Purpose(kind), boundTo);

    // Fixed strings, not the enum's names: a rename in code must not orphan what is stored.
    private static string Purpose(SecretKind kind) => kind switch
    {
        SecretKind.TotpSeed => "totp-seed",
        SecretKind.SigningKey => "signing-key",
        SecretKind.OtpCode => "otp-code",
        SecretKind.SmsText => "sms-text",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
