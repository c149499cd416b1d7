using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Registration;
using GrpcDvc.Server.Population;
using GrpcDvc.Tests.Support;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// The shape checks on registration details, at their edges. Each refusal names the reason and the
/// field a portal highlights; "today" is the fake clock's 2026-11-23.
/// </summary>
public sealed class RegistrationInputTests
{
    private const string IdNumber = "001090004567"; // male, born 1990
    private const string FullName = "Nguyễn Văn An";
    private const string Phone = "0912 345 678";
    private static readonly BirthDate Born = BirthDate.Full(1990, 5, 17);
    private static readonly FakeTimeProvider Time = new();

    [Fact]
    public void Details_AsTyped_PassTheShapeChecks()
        => Assert.Null(Check(new RegistrationDetails(" " + IdNumber + " ", "  " + FullName + " ", Born, Phone)));

    [Fact]
    public void Name_Of200Letters_IsAccepted_201IsNot_SurroundingSpacesAside()
    {
        Assert.Null(Check(Details(name: "  " + new string('A', 200) + "  ")));
        Assert.Equal((IdentityReasons.NameInvalid, "full_name"), Refusal(Details(name: new string('A', 201))));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Nguyễn Văn An 2")]
    [InlineData("Nguyễn-Văn An")]
    [InlineData("Nguyễn\tVăn An")]
    public void Name_MissingOrWithOtherThanLettersAndSpaces_IsRefused(string? name)
        => Assert.Equal((IdentityReasons.NameInvalid, "full_name"), Refusal(Details(name: name)));

    [Fact]
    public void Name_TypedWithCombiningMarks_IsAccepted_AndStoredComposed()
    {
        // Some keyboards send "ễ" as e + U+0302 + U+0303; those marks are part of the letters.
        var decomposed = FullName.Normalize(System.Text.NormalizationForm.FormD);
        Assert.NotEqual(FullName.Length, decomposed.Length);

        Assert.Null(Check(Details(name: decomposed)));
        Assert.Equal(FullName, RegistrationInput.Normalize(Details(name: decomposed)).FullName);
    }

    [Fact]
    public void BirthDate_Today_IsAccepted_TomorrowIsNot()
    {
        // A child born today already has a number: male, 21st century (2), year 26.
        const string bornThisYear = "001226004567";

        Assert.Null(Check(Details(idNumber: bornThisYear, birthDate: BirthDate.Full(2026, 11, 23))));
        Assert.Equal((IdentityReasons.BirthDateInvalid, "birth_date"), Refusal(Details(idNumber: bornThisYear, birthDate: BirthDate.Full(2026, 11, 24))));
    }

    [Fact]
    public void BirthDate_KnownOnlyToTheYear_IsJudgedByItsFirstDay()
    {
        // Of a year-only date only 1 January is sure; next year's has not begun.
        Assert.Null(Check(Details(idNumber: "001226004567", birthDate: BirthDate.YearOnly(2026))));
        Assert.Equal((IdentityReasons.BirthDateInvalid, "birth_date"), Refusal(Details(idNumber: "001227004567", birthDate: BirthDate.YearOnly(2027))));
    }

    [Fact]
    public void BirthDate_In1900_IsAccepted_1899IsRefusedAsTheDate_NotAsTheNumber()
    {
        // No ID number encodes the 1800s; the date is what is wrong, so the date's field is named.
        Assert.Null(Check(Details(idNumber: "001000004567", birthDate: BirthDate.Full(1900, 1, 1))));
        Assert.Equal((IdentityReasons.BirthDateInvalid, "birth_date"), Refusal(Details(idNumber: "001099004567", birthDate: BirthDate.Full(1899, 12, 31))));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0212 345 678")] // a landline prefix
    [InlineData("091 234 567")] // eight digits after the 0
    [InlineData("+1 912 345 678")]
    public void Phone_NotAVietnameseMobileNumber_IsRefused(string? phone)
        => Assert.Equal((IdentityReasons.PhoneInvalid, "phone"), Refusal(Details(phone: phone)));

    [Fact]
    public void IdNumber_Malformed_IsRefusedBeforeAnythingElse()
        => Assert.Equal((IdentityReasons.IdNumberInvalid, "id_number"), Refusal(new RegistrationDetails("00109000456", "", Born, "")));

    [Fact]
    public void Normalize_GivesTheTrimmedNumber_ASingleSpacedName_AndTheE164Phone()
        => Assert.Equal(
            (IdNumber, FullName, "+84912345678"),
            RegistrationInput.Normalize(new RegistrationDetails(" " + IdNumber + " ", " Nguyễn   Văn  An ", Born, "0912.345.678")));

    private static RegistrationDetails Details(string idNumber = IdNumber, string? name = FullName, BirthDate? birthDate = null, string? phone = Phone)
        => new(idNumber, name, birthDate ?? Born, phone);

    private static IdentityFailure? Check(RegistrationDetails details) => RegistrationInput.Check(details, Time);

    private static (string?, string?) Refusal(RegistrationDetails details)
    {
        var failure = Check(details);
        return (failure?.Reason, failure?.Field);
    }
}
