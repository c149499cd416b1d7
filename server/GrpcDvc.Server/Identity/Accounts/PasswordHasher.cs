using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace GrpcDvc.Server.Identity.Accounts;

public enum PasswordCheck
{
    Wrong,
    Correct,

    /// <summary>Correct, but hashed with weaker settings than today's: store a fresh hash.</summary>
    CorrectNeedsRehash,
}

/// <summary>
/// PBKDF2-HMAC-SHA256 with a 128-bit random salt per password. Stored as
/// <c>v1$pbkdf2-sha256$&lt;iterations&gt;$&lt;salt b64&gt;$&lt;hash b64&gt;</c>: the version and the
/// iteration count travel with each hash, so raising the cost later needs no migration (old
/// hashes still verify and are replaced at the next sign-in).
/// </summary>
public sealed class PasswordHasher
{
    public const int MinimumIterations = 210_000;
    private const string Prefix = "v1$pbkdf2-sha256$";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    private readonly int _iterations;
    private readonly Lazy<string> _dummyHash;

    public PasswordHasher(IdentityOptions options)
    {
        if (options.Passwords.Iterations < MinimumIterations)
        {
            throw new InvalidOperationException(
                $"Dvc:Identity:Passwords:Iterations must be at least {MinimumIterations} (PBKDF2-SHA256).");
        }

        _iterations = options.Passwords.Iterations;
        _dummyHash = new Lazy<string>(() => Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(12))));
    }

    public string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Derive(password, salt, _iterations);
        return string.Create(CultureInfo.InvariantCulture,
            $"{Prefix}{_iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    public PasswordCheck Verify(string password, string? stored)
    {
        if (stored is null || !TryParse(stored, out var iterations, out var salt, out var expected))
        {
            // Spend the same work as a real check, so timing does not tell "no such password" apart.
            _ = Derive(password, RandomNumberGenerator.GetBytes(SaltBytes), _iterations);
            return PasswordCheck.Wrong;
        }

        var actual = Derive(password, salt, iterations);
        if (!CryptographicOperations.FixedTimeEquals(actual, expected))
        {
            return PasswordCheck.Wrong;
        }

        return iterations < _iterations ? PasswordCheck.CorrectNeedsRehash : PasswordCheck.Correct;
    }

    /// <summary>Burns one verification's worth of work for a sign-in whose account does not exist.</summary>
    public void VerifyNothing(string password) => _ = Verify(password, _dummyHash.Value);

    private static byte[] Derive(string password, byte[] salt, int iterations)
        => Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);

    private static bool TryParse(string stored, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = hash = [];
        if (!stored.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = stored[Prefix.Length..].Split('$');
        if (parts.Length != 3 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out iterations))
        {
            return false;
        }

        try
        {
            salt = Convert.FromBase64String(parts[1]);
            hash = Convert.FromBase64String(parts[2]);
        }
        catch (FormatException)
        {
            return false;
        }

        return iterations > 0 && salt.Length >= SaltBytes && hash.Length == HashBytes;
    }
}
