using GrpcDvc.Server.Identity.Registration;
using GrpcDvc.Server.Population;
using GrpcDvc.Tests.Identity.Grpc;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// Registration's check against the population tables, called as registration calls it (name
/// normalized, phone in E.164): what must agree and what may differ.
/// </summary>
public sealed class PopulationRegistryCheckTests : OnIdentityHarness
{
    private const string IdNumber = "001090004567";
    private const string Name = "Nguyễn Văn An";
    private const string Phone = "+84912345678";
    private static readonly BirthDate Born = BirthDate.Full(1990, 5, 17);

    [Fact]
    public async Task Citizen_WhoseDetailsAllAgree_Matches_WhateverTheCaseAndSpacingOfTheName()
    {
        // The registry's own rows may be spaced and cased anyhow; the phone on record may be national.
        await RegistryCitizens.AddAsync(Harness.Services, IdNumber, " NGUYỄN  văn An", Born, "0912 345 678");

        Assert.Equal(RegistryMatch.Matched, await MatchAsync(IdNumber, Name, Born, Phone));
    }

    [Fact]
    public async Task Name_RecordedDecomposed_MatchesTheSameNameComposed()
    {
        await RegistryCitizens.AddAsync(Harness.Services, IdNumber, Name.Normalize(System.Text.NormalizationForm.FormD), Born, Phone);

        Assert.Equal(RegistryMatch.Matched, await MatchAsync(IdNumber, Name, Born, Phone));
    }

    [Fact]
    public async Task Citizen_RecordedAsDeceased_DoesNotMatch_EvenWithEveryDetailRight()
    {
        await RegistryCitizens.AddAsync(Harness.Services, IdNumber, Name, Born, Phone, CitizenStatus.Deceased);

        Assert.Equal(RegistryMatch.Mismatch, await MatchAsync(IdNumber, Name, Born, Phone));
    }

    [Fact]
    public async Task Citizen_WithNoMobileOnRecord_DoesNotMatch()
    {
        // The code must go to a number the registry holds; none on record means nowhere to send it.
        await RegistryCitizens.AddAsync(Harness.Services, IdNumber, Name, Born, null);

        Assert.Equal(RegistryMatch.Mismatch, await MatchAsync(IdNumber, Name, Born, Phone));
    }

    [Fact]
    public async Task BirthDate_KnownToTheMonth_MatchesOnlyTheSameMonth_NotADayInIt()
    {
        await RegistryCitizens.AddAsync(Harness.Services, IdNumber, Name, BirthDate.MonthYear(1990, 5), Phone);

        Assert.Equal(RegistryMatch.Matched, await MatchAsync(IdNumber, Name, BirthDate.MonthYear(1990, 5), Phone));
        Assert.Equal(RegistryMatch.Mismatch, await MatchAsync(IdNumber, Name, BirthDate.MonthYear(1990, 6), Phone));
        Assert.Equal(RegistryMatch.Mismatch, await MatchAsync(IdNumber, Name, Born, Phone));
    }

    [Fact]
    public async Task IdNumber_NotInTheRegistry_IsNotFound_NotAnotherCitizensMatch()
    {
        await RegistryCitizens.AddAsync(Harness.Services, IdNumber, Name, Born, Phone);

        Assert.Equal(RegistryMatch.NotFound, await MatchAsync("001090004568", Name, Born, Phone));
    }

    private Task<RegistryMatch> MatchAsync(string idNumber, string name, BirthDate birthDate, string phone)
        => Harness.QueryAsync(db => new PopulationRegistryCheck(db).MatchAsync(idNumber, name, birthDate, phone, CancellationToken.None));
}
