using GrpcDvc.Server.Population;

namespace GrpcDvc.Tests.Population;

/// <summary>
/// The personal ID number rules of Decree 137/2015 art. 13 and Circular 07/2016 (DOMAIN.md):
/// 3 province + 1 century/gender + 2 birth-year + 6 random digits. Each broken rule names itself.
/// </summary>
public sealed partial class IdNumberRuleTests
{
    [Theory]
    [InlineData("001085012345", "001", Gender.Male, 1985)]
    [InlineData("079190000001", "079", Gender.Female, 1990)]
    [InlineData("096205999999", "096", Gender.Male, 2005)]
    [InlineData("048312123456", "048", Gender.Female, 2012)]
    public void WellFormedNumber_Parses_IntoProvinceGenderAndBirthYear(string text, string province, Gender gender, int birthYear)
    {
        var number = PersonalIdNumber.Parse(text);

        Assert.Equal(province, number.ProvinceCode);
        Assert.Equal(gender, number.Gender);
        Assert.Equal(birthYear, number.BirthYear);
        Assert.Equal(text[6..], number.Serial);
    }

    [Theory]
    [InlineData(1900, Gender.Male, 0)]
    [InlineData(1999, Gender.Female, 1)]
    [InlineData(2000, Gender.Male, 2)]
    [InlineData(2099, Gender.Female, 3)]
    [InlineData(2100, Gender.Male, 4)]
    [InlineData(2250, Gender.Female, 7)]
    [InlineData(2399, Gender.Male, 8)]
    [InlineData(2399, Gender.Female, 9)]
    public void CenturyGenderDigit_FollowsTheDecreeTable(int birthYear, Gender gender, int digit)
        => Assert.Equal(digit, PersonalIdNumber.CenturyGenderDigitFor(birthYear, gender));

    [Theory]
    [InlineData(1899)]
    [InlineData(2400)]
    public void CenturyGenderDigit_OutsideTheScheme_IsNone(int birthYear)
        => Assert.Null(PersonalIdNumber.CenturyGenderDigitFor(birthYear, Gender.Male));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("00108501234")]
    [InlineData("0010850123456")]
    public void WrongLength_FailsTheLengthRule(string? text)
        => AssertFails(text, IdNumberReasons.Length);

    [Theory]
    [InlineData("00108501234A")]
    [InlineData("001 85012345")]
    [InlineData("００１085012345")]
    public void NonDigit_FailsTheDigitsRule(string text)
        => AssertFails(text, IdNumberReasons.Digits);

    [Theory]
    [InlineData("000085012345")]
    [InlineData("003085012345")]
    [InlineData("097085012345")]
    [InlineData("999085012345")]
    public void UnknownProvinceCode_FailsTheProvinceRule(string text)
        => AssertFails(text, IdNumberReasons.Province);

    [Fact]
    public void ProvinceTable_HasTheSixtyThreeCodesOfCircular07()
    {
        Assert.Equal(63, IdProvinceCodes.All.Count);
        Assert.Equal("001", IdProvinceCodes.All[0]);
        Assert.Equal("096", IdProvinceCodes.All[^1]);
        Assert.Equal("Hà Nội", IdProvinceCodes.NameOf("001"));
        Assert.Equal("TP. Hồ Chí Minh", IdProvinceCodes.NameOf("079"));
        Assert.Null(IdProvinceCodes.NameOf("003"));
    }

    [Fact]
    public void WrongGender_FailsTheCenturyGenderRule()
    {
        var number = PersonalIdNumber.Parse("001085012345");

        var problem = Assert.Single(number.CheckAgainst(BirthDate.Full(1985, 3, 7), Gender.Female));

        Assert.Equal(IdNumberReasons.CenturyGender, problem.Reason);
        Assert.Contains("expected 1", problem.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongCentury_FailsTheCenturyGenderRule()
    {
        var number = PersonalIdNumber.Parse("001085012345");

        var problem = Assert.Single(number.CheckAgainst(BirthDate.YearOnly(2085), Gender.Male));

        Assert.Equal(IdNumberReasons.CenturyGender, problem.Reason);
    }

    [Fact]
    public void WrongYearDigits_FailTheBirthYearRule()
    {
        var number = PersonalIdNumber.Parse("001085012345");

        var problem = Assert.Single(number.CheckAgainst(BirthDate.MonthYear(1986, 5), Gender.Male));

        Assert.Equal(IdNumberReasons.BirthYear, problem.Reason);
        Assert.Contains("86", problem.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void MatchingPerson_BreaksNoRule_EvenWithAPartialBirthDate()
    {
        var number = PersonalIdNumber.Parse("036151000123");

        Assert.Empty(number.CheckAgainst(BirthDate.YearOnly(1951), Gender.Female));
        Assert.Empty(number.CheckAgainst(null, null));
    }

    [Fact]
    public void Validate_ReportsEveryBrokenRule_AsFieldViolationsOnTheField()
    {
        var violations = PersonalIdNumber.Validate("001085012345", BirthDate.Full(2086, 1, 1), Gender.Female, "id_number");

        Assert.All(violations, v => Assert.Equal("id_number", v.Field));
        Assert.Equal([IdNumberReasons.CenturyGender, IdNumberReasons.BirthYear], violations.Select(v => v.Reason));
    }

    [Fact]
    public void Create_BuildsTheNumberFromItsParts()
    {
        var number = PersonalIdNumber.Create("079", 2003, Gender.Female, 42);

        Assert.Equal("079303000042", number.Value);
        Assert.Empty(number.CheckAgainst(BirthDate.YearOnly(2003), Gender.Female));
    }

    [Theory]
    [InlineData("123456789")]
    [InlineData("123456789012")]
    public void OldCmndNumber_HasNineOrTwelveDigits(string text)
        => Assert.True(OldIdNumber.TryParse(text, out _, out _));

    [Theory]
    [InlineData("12345678", "OLD_ID_NUMBER_LENGTH")]
    [InlineData("12345678A", "OLD_ID_NUMBER_DIGITS")]
    public void OldCmndNumber_BrokenRule_NamesItself(string text, string reason)
    {
        Assert.False(OldIdNumber.TryParse(text, out _, out var problem));
        Assert.Equal(reason, problem.Reason);
    }

    private static void AssertFails(string? text, string reason)
    {
        Assert.False(PersonalIdNumber.TryParse(text, out _, out var problem));
        Assert.Equal(reason, problem.Reason);
        var violation = Assert.Single(PersonalIdNumber.Validate(text, null, null, "id_number"));
        Assert.Equal(reason, violation.Reason);
    }
}
