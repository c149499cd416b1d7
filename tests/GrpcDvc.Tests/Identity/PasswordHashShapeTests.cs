using System.Security.Cryptography;
using System.Text;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Accounts;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// What a stored hash must look like to be checked at all. The hashes here are built by hand, so
/// a hash whose password really matches can be given a bad shape: only the shape check refuses it.
/// Whatever is wrong with a stored hash, Verify answers Wrong and never throws.
/// </summary>
public sealed class PasswordHashShapeTests
{
    private const string Password = "Song-Hong 2026";
    private readonly PasswordHasher _hasher = new(new IdentityOptions());

    [Fact]
    public void Verify_HashWithASaltShorterThan16Bytes_IsWrong_EvenWhenThePasswordMatches()
    {
        var stored = Stored(PasswordHasher.MinimumIterations, RandomNumberGenerator.GetBytes(15));

        Assert.Equal(PasswordCheck.Wrong, _hasher.Verify(Password, stored));
    }

    [Fact]
    public void Verify_HashWithASaltLongerThan16Bytes_IsCorrect()
    {
        // 16 bytes is the least; a longer salt is no weaker.
        var stored = Stored(PasswordHasher.MinimumIterations, RandomNumberGenerator.GetBytes(24));

        Assert.Equal(PasswordCheck.Correct, _hasher.Verify(Password, stored));
    }

    [Fact]
    public void Verify_HashWithZeroIterations_IsWrong_NotAnError()
    {
        // PBKDF2 cannot run zero rounds: such a hash is refused by its shape, before deriving anything.
        var stored = $"v1$pbkdf2-sha256$0${Convert.ToBase64String(new byte[16])}${Convert.ToBase64String(new byte[32])}";

        Assert.Equal(PasswordCheck.Wrong, _hasher.Verify(Password, stored));
    }

    [Fact]
    public void Verify_HashWithOneIteration_IsCorrectButNeedsRehash()
    {
        // The smallest count that is a hash at all: it verifies, and is replaced at this sign-in.
        var stored = Stored(1, RandomNumberGenerator.GetBytes(16));

        Assert.Equal(PasswordCheck.CorrectNeedsRehash, _hasher.Verify(Password, stored));
    }

    [Fact]
    public void Verify_HashWithMoreIterationsThanToday_IsCorrect_WithoutRehash()
    {
        var stored = Stored(PasswordHasher.MinimumIterations + 1, RandomNumberGenerator.GetBytes(16));

        Assert.Equal(PasswordCheck.Correct, _hasher.Verify(Password, stored));
    }

    [Fact]
    public void Verify_HashWhoseIterationCountWasChanged_IsWrong()
    {
        var stored = Stored(PasswordHasher.MinimumIterations, RandomNumberGenerator.GetBytes(16))
            .Replace("$210000$", "$210001$", StringComparison.Ordinal);

        Assert.Equal(PasswordCheck.Wrong, _hasher.Verify(Password, stored));
    }

    // The iteration count is plain ASCII digits: no sign, no spaces, no separators. The count that
    // failed to parse is not used; a stored hash with it would otherwise reach PBKDF2 with zero rounds.
    [Theory]
    [InlineData("")]
    [InlineData("+210000")]
    [InlineData(" 210000")]
    [InlineData("210 000")]
    [InlineData("210,000")]
    [InlineData("abc")]
    [InlineData("99999999999")]
    public void Verify_HashWhoseIterationCountIsNotPlainDigits_IsWrong(string iterations)
    {
        var wellFormed = Stored(PasswordHasher.MinimumIterations, RandomNumberGenerator.GetBytes(16));

        Assert.Equal(PasswordCheck.Wrong, _hasher.Verify(Password, wellFormed.Replace("$210000$", $"${iterations}$", StringComparison.Ordinal)));
    }

    [Fact]
    public void Verify_HashWithTooFewOrTooManyParts_IsWrong()
    {
        var salt = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var wellFormed = Stored(PasswordHasher.MinimumIterations, Convert.FromBase64String(salt));
        var hash = wellFormed[(wellFormed.LastIndexOf('$') + 1)..];

        Assert.Equal(PasswordCheck.Correct, _hasher.Verify(Password, wellFormed));
        Assert.Equal(PasswordCheck.Wrong, _hasher.Verify(Password, $"v1$pbkdf2-sha256$210000${salt}"));
        Assert.Equal(PasswordCheck.Wrong, _hasher.Verify(Password, $"v1$pbkdf2-sha256$210000${salt}${hash}$"));
        Assert.Equal(PasswordCheck.Wrong, _hasher.Verify(Password, $"v1$pbkdf2-sha256$0${salt}"));
    }

    [Theory]
    [InlineData("v1$pbkdf2-sha256$210000$not base64!$AAAA")]
    [InlineData("v1$pbkdf2-sha256$0$not base64!$AAAA")]
    [InlineData("v1$pbkdf2-sha256$0$AAAAAAAAAAAAAAAAAAAAAA==$not base64!")]
    public void Verify_HashWhoseSaltOrHashIsNotBase64_IsWrong(string stored)
        => Assert.Equal(PasswordCheck.Wrong, _hasher.Verify(Password, stored));

    [Theory]
    [InlineData("V1$pbkdf2-sha256$")]
    [InlineData("v1$pbkdf2-sha512$")]
    [InlineData(" v1$pbkdf2-sha256$")]
    public void Verify_HashWithAnotherPrefix_IsWrong_EvenWhenTheRestMatches(string prefix)
    {
        var stored = Stored(PasswordHasher.MinimumIterations, RandomNumberGenerator.GetBytes(16));

        Assert.Equal(PasswordCheck.Wrong, _hasher.Verify(Password, prefix + stored["v1$pbkdf2-sha256$".Length..]));
    }

    [Fact]
    public void Verify_HashOfAnotherLength_IsWrong_EvenWhenItsStartMatches()
    {
        // A 64-byte PBKDF2 output starts with the 32 bytes of the stored length; only 32 is accepted.
        var salt = RandomNumberGenerator.GetBytes(16);
        var longer = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(Password), salt, PasswordHasher.MinimumIterations, HashAlgorithmName.SHA256, 64);

        Assert.Equal(PasswordCheck.Wrong, _hasher.Verify(Password, Format(PasswordHasher.MinimumIterations, salt, longer)));
    }

    /// <summary>A stored hash of <see cref="Password"/> in today's format, built without the hasher.</summary>
    private static string Stored(int iterations, byte[] salt)
        => Format(iterations, salt, Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(Password), salt, iterations, HashAlgorithmName.SHA256, 32));

    private static string Format(int iterations, byte[] salt, byte[] hash)
        => $"v1$pbkdf2-sha256${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
}
