using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Accounts;

namespace GrpcDvc.Tests.Identity;

public sealed class PasswordTests
{
    private static readonly IdentityOptions Options = new();
    private readonly PasswordHasher _hasher = new(Options);
    private readonly PasswordPolicy _policy = new(Options);

    [Fact]
    public void Hash_ThenVerify_AcceptsOnlyThePassword()
    {
        var stored = _hasher.Hash("Song-Hong 2026");

        Assert.Equal(PasswordCheck.Correct, _hasher.Verify("Song-Hong 2026", stored));
        Assert.Equal(PasswordCheck.Wrong, _hasher.Verify("song-hong 2026", stored));
        Assert.Equal(PasswordCheck.Wrong, _hasher.Verify("", stored));
    }

    [Fact]
    public void Hash_IsVersionedAndSalted_WithTheIterationCountInside()
    {
        var first = _hasher.Hash("Song-Hong 2026");
        var second = _hasher.Hash("Song-Hong 2026");

        Assert.StartsWith("v1$pbkdf2-sha256$210000$", first, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
        Assert.DoesNotContain("Song-Hong", first, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_HashWithFewerIterationsThanToday_IsCorrectButNeedsRehash()
    {
        var stronger = new PasswordHasher(new IdentityOptions { Passwords = new PasswordOptions { Iterations = 250_000 } });
        var stored = _hasher.Hash("Song-Hong 2026");

        Assert.Equal(PasswordCheck.CorrectNeedsRehash, stronger.Verify("Song-Hong 2026", stored));
        Assert.Equal(PasswordCheck.Correct, stronger.Verify("Song-Hong 2026", stronger.Hash("Song-Hong 2026")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-hash")]
    [InlineData("v1$pbkdf2-sha256$210000$AAAA$BBBB")]
    [InlineData("v2$pbkdf2-sha256$210000$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhcw==")]
    public void Verify_MalformedOrForeignHash_IsWrong(string? stored)
        => Assert.Equal(PasswordCheck.Wrong, _hasher.Verify("Song-Hong 2026", stored));

    [Fact]
    public void Verify_TamperedHash_IsWrong()
    {
        var stored = _hasher.Hash("Song-Hong 2026");
        var tampered = stored[..^4] + (stored[^4] == 'A' ? 'B' : 'A') + stored[^3..];

        Assert.Equal(PasswordCheck.Wrong, _hasher.Verify("Song-Hong 2026", tampered));
    }

    [Fact]
    public void Hasher_WithFewerThan210000Iterations_RefusesToStart()
        => Assert.Throws<InvalidOperationException>(() => new PasswordHasher(new IdentityOptions { Passwords = new PasswordOptions { Iterations = 100_000 } }));

    [Theory]
    [InlineData("short1!")]
    [InlineData("12345678901")]
    [InlineData("password123")]
    [InlineData("Matkhau123")]
    [InlineData("x001203004567x")]
    [InlineData("call0912345678")]
    [InlineData("ab912345678")]
    public void Policy_WeakOrPersonalPassword_IsRefused(string password)
    {
        var failure = _policy.Check(password, "001203004567", "+84912345678");

        Assert.NotNull(failure);
        Assert.Equal(IdentityReasons.PasswordTooWeak, failure.Reason);
        Assert.Equal("password", failure.Field);
    }

    [Fact]
    public void Policy_LongerThan128_IsRefused()
        => Assert.NotNull(_policy.Check(new string('a', 120) + "Z1Z1Z1Z1Z"));

    [Theory]
    [InlineData("Hoa sen 2026")]
    [InlineData("12345678a!")]
    [InlineData("mật khẩu của tôi")]
    public void Policy_ReasonablePassword_IsAccepted(string password)
        => Assert.Null(_policy.Check(password, "001203004567", "+84912345678"));
}
