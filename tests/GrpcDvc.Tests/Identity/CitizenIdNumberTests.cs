using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Population;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// The ID number identity signs citizens in with: the population rules decide its form, a
/// malformed number keeps the one reason portals know, and a misfit with the birth date names
/// the rule it breaks.
/// </summary>
public sealed class CitizenIdNumberTests
{
    [Theory]
    [InlineData("001085012345")]
    [InlineData("096205999999")]
    public void WellFormedNumber_IsValid(string value)
        => Assert.True(CitizenIdNumber.IsValid(value));

    [Theory]
    [InlineData(null)]
    [InlineData("00108501234")]
    [InlineData("00108501234A")]
    [InlineData("003085012345")]
    public void MalformedNumber_IsNotValid_AndIsRefusedAsIdNumberInvalid(string? value)
    {
        Assert.False(CitizenIdNumber.IsValid(value));

        var failure = CitizenIdNumber.Check(value);

        Assert.NotNull(failure);
        Assert.Equal((FailureKind.InvalidArgument, IdentityReasons.IdNumberInvalid, "id_number"), (failure.Kind, failure.Reason, failure.Field));
    }

    [Fact]
    public void NumberFittingTheBirthDate_IsAccepted()
    {
        Assert.Null(CitizenIdNumber.Check("001085012345", BirthDate.Full(1985, 3, 7)));
        Assert.Null(CitizenIdNumber.Check("001085012345", new DateOnly(1985, 3, 7)));
        Assert.Null(CitizenIdNumber.Check("001085012345"));
    }

    [Fact]
    public void NumberOfAnotherBirthYear_IsRefused_NamingTheBirthYearRule()
    {
        var failure = CitizenIdNumber.Check("001085012345", new DateOnly(1986, 3, 7));

        Assert.NotNull(failure);
        Assert.Equal((FailureKind.InvalidArgument, IdNumberReasons.BirthYear, "id_number"), (failure.Kind, failure.Reason, failure.Field));
    }

    [Fact]
    public void NumberOfAnotherCentury_IsRefused_NamingTheCenturyRuleFirst()
    {
        // Digit 4 is 2 (born in the 2000s) and digits 5–6 are 85: a 1990 birth breaks both rules; the first is named.
        var failure = CitizenIdNumber.Check("001285012345", BirthDate.Full(1990, 1, 1));

        Assert.NotNull(failure);
        Assert.Equal(IdNumberReasons.CenturyGender, failure.Reason);
    }

    [Fact]
    public void WomansNumber_WithoutAGender_IsNotHeldAgainstTheDate()
    {
        // Digit 4 is 1, a woman born in the 1900s: only century and year are checked when identity knows no gender.
        Assert.Null(CitizenIdNumber.Check("079190000001", BirthDate.YearOnly(1990)));
    }

    [Fact]
    public void BirthDateNoRegistryHolds_IsRefusedAsBirthDateInvalid()
    {
        var failure = CitizenIdNumber.Check("001085012345", new DateOnly(1799, 12, 31));

        Assert.NotNull(failure);
        Assert.Equal((FailureKind.InvalidArgument, IdentityReasons.BirthDateInvalid, "birth_date"), (failure.Kind, failure.Reason, failure.Field));
    }

    [Fact]
    public void MalformedNumber_WithABirthDateNoRegistryHolds_IsRefusedForTheNumberFirst()
    {
        var failure = CitizenIdNumber.Check("12345", new DateOnly(1799, 12, 31));

        Assert.NotNull(failure);
        Assert.Equal((IdentityReasons.IdNumberInvalid, "id_number"), (failure.Reason, failure.Field));
    }
}
