using GrpcDvc.Server.Identity.Accounts;

namespace GrpcDvc.Tests.Identity;

/// <summary>The shapes of officials' login names and agency unit codes, at their edges.</summary>
public sealed class OfficialNamesTests
{
    [Theory]
    [InlineData("CAX-HN-BADINH")]
    [InlineData("P34-01")]
    [InlineData("a")]
    [InlineData("unit_2.b")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345")] // 32 characters, the most
    public void AgencyUnit_OfLettersDigitsAndDotUnderscoreDash_UpTo32_IsValid(string code)
        => Assert.True(OfficialNames.IsValidAgencyUnit(code));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456")] // 33 characters
    [InlineData("CAX HN")]
    [InlineData("CAX/HN")]
    [InlineData("CAX-HÀ-NỘI")] // letters beyond ASCII
    public void AgencyUnit_EmptyTooLongOrWithOtherCharacters_IsInvalid(string? code)
        => Assert.False(OfficialNames.IsValidAgencyUnit(code));

    [Fact]
    public void AgencyUnit_WithATrailingLineBreak_IsInvalid()
    {
        // A regex '$' also matches before a final "\n": the code would be stored with the line break
        // and then match no unit of the agency tree.
        Assert.False(OfficialNames.IsValidAgencyUnit("P34-01\n"));
    }

    [Fact]
    public void Username_WithATrailingLineBreak_IsInvalid()
        => Assert.False(OfficialNames.IsValidUsername("lan.nguyen\n"));

    [Fact]
    public void Username_Missing_NormalizesToEmpty_WhichIsNotAValidName()
    {
        // A request without a login name is refused as an invalid name, not turned into a made-up one.
        var normalized = OfficialNames.NormalizeUsername(null);

        Assert.Equal("", normalized);
        Assert.False(OfficialNames.IsValidUsername(normalized));
    }

    [Fact]
    public void Username_IsTrimmedAndLowerCased()
        => Assert.Equal("lan.nguyen", OfficialNames.NormalizeUsername("  Lan.Nguyen "));
}
