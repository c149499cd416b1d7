using GrpcDvc.Server.Population;

namespace GrpcDvc.Tests.Population;

/// <summary>
/// The edges of the ID number rules: the first and last years of the scheme, the province table
/// read through its public check (the generator's way in skips TryParse), the parts Create refuses,
/// and the words a refused number is explained with (they reach the portal as field violations).
/// </summary>
public sealed partial class IdNumberRuleTests
{
    [Fact]
    public void ProvinceTable_EveryCode_IsKnown_AndNamesAProvinceOfItsOwn()
    {
        var names = IdProvinceCodes.All.Select(IdProvinceCodes.NameOf).ToList();

        Assert.All(IdProvinceCodes.All, code => Assert.True(IdProvinceCodes.IsKnown(code), code));
        Assert.All(names, name => Assert.False(string.IsNullOrWhiteSpace(name)));
        Assert.Equal(IdProvinceCodes.All.Count, names.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("101")] // would read as 001 if the hundreds digit were dropped
    [InlineData("0010")] // starts with Hà Nội's code, but has four characters
    [InlineData("00")]
    [InlineData("")]
    [InlineData("1/1")] // '/' is one below '0': read as digits, 100 - 10 + 1 is Kiên Giang's 091
    [InlineData("00:")] // ':' is one above '9': read as digits, it is Lào Cai's 010
    [InlineData("0:0")]
    public void ProvinceCode_NotThreeAsciiDigitsOfTheTable_IsUnknown(string code)
        => Assert.False(IdProvinceCodes.IsKnown(code));

    [Theory]
    [InlineData("003")]
    [InlineData("0010")]
    public void Create_ProvinceCodeNotInTheTable_Throws(string code)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => PersonalIdNumber.Create(code, 1990, Gender.Male, 1));

        Assert.Equal("provinceCode", ex.ParamName);
        Assert.Contains("province code", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1899)]
    [InlineData(2400)]
    public void Create_BirthYearOutsideTheScheme_Throws(int birthYear)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => PersonalIdNumber.Create("001", birthYear, Gender.Male, 1));

        Assert.Equal("birthYear", ex.ParamName);
        Assert.Contains("century/gender digit", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1_000_000)]
    public void Create_SerialOutsideSixDigits_Throws(int serial)
        => Assert.Equal("serial", Assert.Throws<ArgumentOutOfRangeException>(() => PersonalIdNumber.Create("001", 1990, Gender.Male, serial)).ParamName);

    [Fact]
    public void Create_FirstAndLastYearsAndSerials_FitTheScheme()
    {
        Assert.Equal("001000000000", PersonalIdNumber.Create("001", 1900, Gender.Male, 0).Value);
        Assert.Equal("096999999999", PersonalIdNumber.Create("096", 2399, Gender.Female, 999_999).Value);
    }

    [Fact]
    public void FirstAndLastYearsOfTheScheme_FitTheirNumbers()
    {
        Assert.Empty(PersonalIdNumber.Parse("001000000001").CheckAgainst(BirthDate.YearOnly(1900), Gender.Male));
        Assert.Empty(PersonalIdNumber.Parse("001899000001").CheckAgainst(BirthDate.YearOnly(2399), Gender.Male));
    }

    [Fact]
    public void BirthYearBeforeTheScheme_FailsTheCenturyGenderRule_Alone()
    {
        var problem = Assert.Single(PersonalIdNumber.Parse("001085012345").CheckAgainst(BirthDate.YearOnly(1899), Gender.Male));

        Assert.Equal(IdNumberReasons.CenturyGender, problem.Reason);
        Assert.Equal("Birth year 1899 has no century/gender digit (the scheme covers 1900–2399).", problem.Description);
    }

    [Fact]
    public void WrongCentury_WithoutAGender_IsExplainedByTheCenturyTheDigitMeans()
    {
        // Digit 4 is 3: a woman born 2000–2099; no expected digit can be named without the person's gender.
        var problem = Assert.Single(PersonalIdNumber.Parse("001385012345").CheckAgainst(BirthDate.YearOnly(1985), null));

        Assert.Equal("Digit 4 is 3, which means female born 2000–2099.", problem.Description);
    }

    [Fact]
    public void WrongYearDigits_AreExplainedByTheYearTheyShouldEndIn()
    {
        var problem = Assert.Single(PersonalIdNumber.Parse("001085012345").CheckAgainst(BirthDate.YearOnly(1986), Gender.Male));

        Assert.Equal("Digits 5–6 are 85, but the birth year 1986 ends in 86.", problem.Description);
    }

    [Theory]
    [InlineData("12345", "A personal ID number has 12 digits; this one has 5 characters.")]
    [InlineData("00108501234A", "A personal ID number is made of digits only.")]
    [InlineData("003085012345", "'003' is not a province code of Circular 07/2016 (codes for births registered abroad are not known here).")]
    public void BrokenFormRule_IsExplained(string text, string description)
    {
        Assert.False(PersonalIdNumber.TryParse(text, out _, out var problem));
        Assert.Equal(description, problem.Description);
        var ex = Assert.Throws<FormatException>(() => PersonalIdNumber.Parse(text));
        Assert.Equal($"{problem.Reason}: {description}", ex.Message);
    }

    [Fact]
    public void Number_PrintsAsItsDigits_AndTheEmptyValueAsNothing()
    {
        Assert.Equal("001085012345", PersonalIdNumber.Parse("001085012345").ToString());
        Assert.Equal(string.Empty, default(PersonalIdNumber).ToString());
    }

    [Theory]
    [InlineData("123456789", false)]
    [InlineData("123456789012", true)]
    public void OldCmndNumber_KnowsWhetherItIsTheTwelveDigitKind(string text, bool twelveDigit)
    {
        var number = OldIdNumber.Parse(text);

        Assert.Equal(twelveDigit, number.IsTwelveDigit);
        Assert.Equal(text, number.ToString());
        Assert.Empty(OldIdNumber.Validate(text, "old_id_number"));
    }

    [Theory]
    [InlineData("12345678", IdNumberReasons.OldLength, "An old CMND number has 9 or 12 digits; this one has 8 characters.")]
    [InlineData("12345678A", IdNumberReasons.OldDigits, "An old CMND number is made of digits only.")]
    public void OldCmndNumber_BrokenRule_IsExplained_AndRefusedOnTheField(string text, string reason, string description)
    {
        var violation = Assert.Single(OldIdNumber.Validate(text, "old_id_number"));

        Assert.Equal(("old_id_number", reason, description), (violation.Field, violation.Reason, violation.Description));
        Assert.Equal($"{reason}: {description}", Assert.Throws<FormatException>(() => OldIdNumber.Parse(text)).Message);
        Assert.Equal(string.Empty, default(OldIdNumber).ToString());
    }
}
