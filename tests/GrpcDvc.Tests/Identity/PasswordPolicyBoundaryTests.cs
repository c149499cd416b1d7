using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Accounts;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// The password policy at its edges: the exact length bounds, every entry of the common-password
/// list, and which of the holder's own identifiers count against a password.
/// </summary>
public sealed class PasswordPolicyBoundaryTests
{
    private readonly PasswordPolicy _policy = new(new IdentityOptions());

    [Fact]
    public void Password_OfExactlyTheMinimumLength_IsAccepted_OneShorterIsNot()
    {
        // Eight characters is the default minimum: "at least", so eight itself passes.
        Assert.Null(_policy.Check("Hoa sen1"));
        Assert.Equal(IdentityReasons.PasswordTooWeak, _policy.Check("Hoa sen")?.Reason);
    }

    [Fact]
    public void Password_MinimumLength_ComesFromTheOptions()
    {
        var strict = new PasswordPolicy(new IdentityOptions { Passwords = new PasswordOptions { MinimumLength = 12 } });

        Assert.Null(strict.Check("Hoa sen 2026"));
        Assert.NotNull(strict.Check("Hoa sen 202"));
    }

    [Fact]
    public void Password_OfExactlyTheMaximumLength_IsAccepted_OneLongerIsNot()
    {
        // The cap bounds PBKDF2's input; 128 characters is still a password, 129 is not.
        var longest = "Hoa sen " + new string('x', PasswordPolicy.MaximumLength - 8);

        Assert.Equal(PasswordPolicy.MaximumLength, longest.Length);
        Assert.Null(_policy.Check(longest));
        Assert.Equal(IdentityReasons.PasswordTooWeak, _policy.Check(longest + "y")?.Reason);
    }

    // Each entry on its own: an entry dropped from the list would let that password through.
    // The minimum is lowered so the seven-letter "matkhau" is refused by the list, not by its length.
    [Theory]
    [InlineData("password")]
    [InlineData("password1")]
    [InlineData("password123")]
    [InlineData("matkhau")]
    [InlineData("matkhau123")]
    [InlineData("qwertyui")]
    [InlineData("qwerty123")]
    [InlineData("abc12345")]
    [InlineData("abcd1234")]
    [InlineData("iloveyou")]
    [InlineData("admin123")]
    [InlineData("12345678a")]
    [InlineData("a12345678")]
    [InlineData("vietnam1")]
    public void Password_OnTheCommonList_IsRefused_InAnyCase(string common)
    {
        var lenient = new PasswordPolicy(new IdentityOptions { Passwords = new PasswordOptions { MinimumLength = 6 } });

        Assert.Equal(IdentityReasons.PasswordTooWeak, lenient.Check(common)?.Reason);
        Assert.Equal(IdentityReasons.PasswordTooWeak, lenient.Check(common.ToUpperInvariant())?.Reason);
    }

    [Fact]
    public void Password_ContainingAnIdentifierOfExactlyFourCharacters_IsRefused()
    {
        // Four characters is the shortest identifier held against a password.
        Assert.Equal(IdentityReasons.PasswordTooWeak, _policy.Check("Hoa sen Lan1 2026", "lan1")?.Reason);
    }

    [Fact]
    public void Password_ContainingAnIdentifierOfThreeCharacters_IsAccepted()
    {
        // Shorter identifiers would be found inside too many honest passwords to count.
        Assert.Null(_policy.Check("Hoa sen 2026", "sen"));
    }

    [Fact]
    public void Password_CheckedAgainstMissingIdentifiers_IsJudgedOnItsOwn()
    {
        // A citizen from an identity assertion has no phone: a null or empty identifier is skipped, not an error.
        Assert.Null(_policy.Check("Hoa sen 2026", null, ""));
    }

    [Fact]
    public void Password_ContainingOnlyTheTailOfALoginName_IsAccepted()
    {
        // Only a phone's "+84" is dropped before the comparison; other identifiers count whole.
        Assert.Null(_policy.Check("Hoa.trang 2026", "thu.trang"));
        Assert.NotNull(_policy.Check("Thu.trang 2026", "thu.trang"));
    }

    [Fact]
    public void Password_ContainingAPhoneWithoutItsCountryCode_IsRefused_ButPartOfAnIdNumberIsNot()
    {
        // The national digits of +84912345678 are 912345678; an ID number has no country code to drop.
        Assert.NotNull(_policy.Check("goi 912345678 nhe", "+84912345678"));
        Assert.Null(_policy.Check("so 203004567 nhe", "001203004567"));
    }
}
