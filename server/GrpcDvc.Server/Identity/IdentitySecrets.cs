using System.Security.Cryptography;
using System.Text;

namespace GrpcDvc.Server.Identity;

/// <summary>
/// The server's identity secret and the keys derived from it (HKDF-SHA256, one per purpose):
/// the HMAC key for OTP hashes and the AES-256-GCM key for secrets that must be readable again
/// (officials' TOTP seeds, token signing keys). The master key lives outside the database, so a
/// stolen dump alone yields neither OTP codes nor second factors nor signing keys.
/// </summary>
public sealed class IdentitySecrets
{
    private const int KeyBytes = 32;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly byte[] _otpKey;
    private readonly byte[] _sealKey;

    public IdentitySecrets(byte[] masterKey)
    {
        if (masterKey.Length != KeyBytes)
        {
            throw new InvalidOperationException($"The identity master key must be {KeyBytes} bytes.");
        }

        _otpKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, KeyBytes, info: "grpcdvc/otp-hmac"u8.ToArray());
        _sealKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, KeyBytes, info: "grpcdvc/sealed-secrets"u8.ToArray());
    }

    /// <summary>The configured key (base64), or one generated once and kept in DataDir/identity/master.key.</summary>
    public static IdentitySecrets Load(IdentityOptions options, string dataDir)
    {
        if (!string.IsNullOrWhiteSpace(options.MasterKey))
        {
            return new IdentitySecrets(Convert.FromBase64String(options.MasterKey));
        }

        var path = Path.Combine(dataDir, "identity", "master.key");
        return new IdentitySecrets(PrivateFile.ReadOrCreate(path, () => RandomNumberGenerator.GetBytes(KeyBytes)));
    }

    /// <summary>HMAC-SHA256 of a value under the OTP key, hex; the context binds it to one challenge.</summary>
    public string OtpHash(string context, string code)
        => Convert.ToHexStringLower(HMACSHA256.HashData(_otpKey, Encoding.UTF8.GetBytes(context + "\n" + code)));

    /// <summary>Encrypts and authenticates; the associated data (a row id) stops a sealed value being moved to another row.</summary>
    public string Seal(ReadOnlySpan<byte> plaintext, string associatedData)
    {
        var output = new byte[NonceBytes + plaintext.Length + TagBytes];
        var nonce = output.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_sealKey, TagBytes);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceBytes, plaintext.Length),
            output.AsSpan(NonceBytes + plaintext.Length), Encoding.UTF8.GetBytes(associatedData));
        return Convert.ToBase64String(output);
    }

    /// <summary>Opens what <see cref="Seal"/> made; throws <see cref="CryptographicException"/> if it was altered or moved.</summary>
    public byte[] Unseal(string sealedValue, string associatedData)
    {
        var input = Convert.FromBase64String(sealedValue);
        if (input.Length < NonceBytes + TagBytes)
        {
            throw new CryptographicException("The sealed value is too short.");
        }

        var plaintext = new byte[input.Length - NonceBytes - TagBytes];
        using var aes = new AesGcm(_sealKey, TagBytes);
        aes.Decrypt(input.AsSpan(0, NonceBytes), input.AsSpan(NonceBytes, plaintext.Length),
            input.AsSpan(NonceBytes + plaintext.Length), plaintext, Encoding.UTF8.GetBytes(associatedData));
        return plaintext;
    }
}
