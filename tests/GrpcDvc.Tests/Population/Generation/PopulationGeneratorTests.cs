using GrpcDvc.Server.Population;
using GrpcDvc.Server.Population.Generation;
using GrpcDvc.Server.Population.Persistence;

namespace GrpcDvc.Tests.Population.Generation;

/// <summary>The generator is deterministic by seed and every person it makes is a valid registry record.</summary>
public sealed class PopulationGeneratorTests
{
    private const int Count = 5_000;

    private static readonly AdministrativeUnitData Units = AdministrativeUnitData.Load(AdministrativeUnitData.DefaultPath);

    private static readonly Lazy<List<GeneratedHousehold>> Sample = new(() => Generate(Count, 7));

    private static List<CitizenRow> Citizens => [.. Sample.Value.SelectMany(h => h.Citizens)];

    [Fact]
    public void SameSeed_GivesTheSamePeople_RowForRow()
    {
        var again = Generate(Count, 7);

        Assert.Equal(Fingerprint(Sample.Value), Fingerprint(again));
    }

    [Fact]
    public void DifferentSeed_GivesOtherPeople()
    {
        var other = Generate(Count, 8);

        Assert.NotEqual(
            Sample.Value.SelectMany(h => h.Citizens).Select(c => c.FullName).Take(200),
            other.SelectMany(h => h.Citizens).Select(c => c.FullName).Take(200));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(17)]
    [InlineData(1_001)]
    public void Population_HasExactlyTheCountAskedFor(int count)
        => Assert.Equal(count, Generate(count, 3).Sum(h => h.Citizens.Count));

    [Fact]
    public void EveryIdNumber_IsValid_AndFitsBirthYearGenderAndProvinceOfBirthRegistration()
    {
        var codeOf = Units.OldProvinces.ToDictionary(p => p.Id, p => p.IdNumberCode);
        foreach (var citizen in Citizens)
        {
            Assert.True(PersonalIdNumber.TryParse(citizen.IdNumber, out var number, out var problem), problem?.Description);
            var birth = BirthDate.Create(citizen.BirthYear, citizen.BirthMonth, citizen.BirthDay);
            Assert.Empty(number.CheckAgainst(birth, citizen.Gender));
            Assert.Equal(codeOf[citizen.BirthRegistrationUnitId], number.ProvinceCode);
        }
    }

    [Fact]
    public void IdNumbersAndCmndNumbers_AreUnique()
    {
        Assert.Equal(Count, Citizens.Select(c => c.IdNumber).Distinct(StringComparer.Ordinal).Count());
        var cmnd = Sample.Value.SelectMany(h => h.Documents).Where(d => d.Kind == IdentityDocumentKind.Cmnd9).Select(d => d.Number).ToList();
        Assert.Equal(cmnd.Count, cmnd.Distinct(StringComparer.Ordinal).Count());
        Assert.All(cmnd, n => Assert.True(OldIdNumber.TryParse(n, out _, out _)));
    }

    [Fact]
    public void AppendedLoad_ContinuesTheNumbering_WithoutReusingANumber()
    {
        var usage = new IdNumberUsage { Cmnd = Sample.Value.SelectMany(h => h.Documents).Count(d => d.Kind == IdentityDocumentKind.Cmnd9) };
        foreach (var group in Citizens.GroupBy(c => int.Parse(c.IdNumber[..6], System.Globalization.CultureInfo.InvariantCulture)))
        {
            usage.Prefixes[group.Key] = group.Count();
        }

        var appended = new PopulationGenerator(Units, new PopulationGeneratorOptions(Count, 7, PopulationGeneratorOptions.DefaultAsOf))
            .Generate(new PopulationIdStart(Count + 1, 10_000, 100_000, 100_000) { Usage = usage })
            .ToList();

        var numbers = Citizens.Select(c => c.IdNumber).Concat(appended.SelectMany(h => h.Citizens).Select(c => c.IdNumber)).ToList();
        Assert.Equal(numbers.Count, numbers.Distinct(StringComparer.Ordinal).Count());
        var cmnd = Sample.Value.Concat(appended).SelectMany(h => h.Documents).Where(d => d.Kind == IdentityDocumentKind.Cmnd9).Select(d => d.Number).ToList();
        Assert.Equal(cmnd.Count, cmnd.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(Count + 1, appended[0].Citizens.Min(c => c.Id));
    }

    [Fact]
    public void EveryHousehold_HasOneHead_WhoseIdItRecords()
    {
        foreach (var generated in Sample.Value)
        {
            var members = generated.Citizens.Where(c => c.HouseholdId == generated.Household.Id).ToList();
            var head = Assert.Single(members, c => c.RelationToHead == RelationToHead.Head);
            Assert.Equal(head.Id, generated.Household.HeadCitizenId);
            Assert.All(generated.Citizens.Where(c => c.HouseholdId is null), c => Assert.Equal(CitizenStatus.Deceased, c.Status));
        }
    }

    [Fact]
    public void ParentAndSpouseLinks_PointToPeopleOfTheRightGenderAndAge()
    {
        var byNumber = Citizens.ToDictionary(c => c.IdNumber, StringComparer.Ordinal);
        var linked = 0;
        foreach (var citizen in Citizens)
        {
            if (citizen.FatherIdNumber is { } father)
            {
                Assert.Equal(Gender.Male, byNumber[father].Gender);
                Assert.True(byNumber[father].BirthYear + 14 <= citizen.BirthYear);
                linked++;
            }

            if (citizen.MotherIdNumber is { } mother)
            {
                Assert.Equal(Gender.Female, byNumber[mother].Gender);
                Assert.True(byNumber[mother].BirthYear + 14 <= citizen.BirthYear);
            }

            if (citizen.SpouseIdNumber is { } spouse)
            {
                Assert.Equal(citizen.IdNumber, byNumber[spouse].SpouseIdNumber);
                Assert.NotEqual(citizen.Gender, byNumber[spouse].Gender);
            }
        }

        Assert.True(linked > Count / 5, $"only {linked} fathers known");
    }

    [Fact]
    public void Population_LooksLikeVietnam_SurnamesAgesDatesDeathsAndCmndHistory()
    {
        var citizens = Citizens;
        var documents = Sample.Value.SelectMany(h => h.Documents).ToLookup(d => d.CitizenId);
        var nguyen = citizens.Count(c => c.FullName.StartsWith("Nguyễn ", StringComparison.Ordinal)) / (double)Count;
        var partial = citizens.Count(c => c.BirthDay is null) / (double)Count;
        var deceased = citizens.Count(c => c.Status == CitizenStatus.Deceased);
        var olderLiving = citizens.Where(c => c.BirthYear < 1985 && c.Status == CitizenStatus.Living).ToList();
        var withCmnd = olderLiving.Count(c => documents[c.Id].Any(d => d.Kind == IdentityDocumentKind.Cmnd9));

        Assert.InRange(nguyen, 0.25, 0.45);
        Assert.InRange(partial, 0.002, 0.10);
        Assert.InRange(deceased, 1, Count / 10);
        Assert.InRange(citizens.Min(c => c.BirthYear), 1900, 1960);
        Assert.InRange(citizens.Where(c => c.Status == CitizenStatus.Living).Min(c => c.BirthYear), 1920, 1960);
        Assert.InRange(citizens.Max(c => c.BirthYear), 2024, 2026);
        Assert.InRange(withCmnd / (double)olderLiving.Count, 0.8, 1.0);
        Assert.True(citizens.Select(c => c.CurrentProvinceId).Distinct().Count() >= 30, "people live in too few provinces");
        Assert.True(citizens.Select(c => c.PermanentUnitId).Distinct().Count() >= 500, "people live in too few communes");
    }

    [Fact]
    public void Cards_CarryTheIdNumber_AndLivingPeopleHaveAnOpenPermanentResidence()
    {
        var residences = Sample.Value.SelectMany(h => h.Residences).ToLookup(r => r.CitizenId);
        var byId = Citizens.ToDictionary(c => c.Id);
        foreach (var document in Sample.Value.SelectMany(h => h.Documents).Where(d => d.Kind != IdentityDocumentKind.Cmnd9))
        {
            Assert.Equal(byId[document.CitizenId].IdNumber, document.Number);
        }

        foreach (var citizen in Citizens.Where(c => c.Status == CitizenStatus.Living))
        {
            var open = Assert.Single(residences[citizen.Id], r => r.Kind == ResidenceKind.Permanent && r.ValidTo is null);
            Assert.Equal(citizen.PermanentUnitId, open.UnitId);
            Assert.Equal(citizen.PermanentAddress, open.Address);
        }
    }

    [Fact]
    public void Generation_IsAStream_TheFirstHouseholdComesWithoutMakingTheRest()
    {
        var generator = new PopulationGenerator(Units, new PopulationGeneratorOptions(100_000_000, 1, PopulationGeneratorOptions.DefaultAsOf));

        var first = generator.Generate().First();

        Assert.NotEmpty(first.Citizens);
    }

    private static List<GeneratedHousehold> Generate(int count, ulong seed)
        => [.. new PopulationGenerator(Units, new PopulationGeneratorOptions(count, seed, PopulationGeneratorOptions.DefaultAsOf)).Generate()];

    private static List<string> Fingerprint(List<GeneratedHousehold> households)
        => [.. households.SelectMany(h => h.Citizens.Select(c =>
                $"{c.Id}|{c.IdNumber}|{c.FullName}|{c.BirthYear}-{c.BirthMonth}-{c.BirthDay}|{c.Gender}|{c.CurrentAddress}|{c.CurrentUnitId}|{c.FatherIdNumber}|{c.SpouseIdNumber}|{c.Status}")
            .Concat(h.Documents.Select(d => $"{d.Id}|{d.CitizenId}|{d.Kind}|{d.Number}|{d.IssuedOn}|{d.Status}"))
            .Concat(h.Residences.Select(r => $"{r.Id}|{r.CitizenId}|{r.Kind}|{r.UnitId}|{r.Address}|{r.ValidFrom}|{r.ValidTo}")))];
}
