using System.Text;
using GrpcDvc.Server.Population;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Population.Registry;

namespace GrpcDvc.Tests.Population;

/// <summary>
/// A dossier's declared data against the record, field by field (DeclarationCheck): what counts as
/// the same name, date, commune, parent and phone, and what is missing rather than wrong.
/// </summary>
public sealed class DeclarationCheckTests
{
    private const string IdNumber = "001092012345";

    [Fact]
    public void Name_SameLettersInAnotherCaseOrSpacingOrUnicodeForm_Matches()
    {
        // "Nguyễn" typed as e + circumflex + tilde (decomposed) is the same name as the precomposed one.
        var decomposed = "  NGUYỄN   thị  Lan ".Normalize(NormalizationForm.FormD);

        Assert.Equal(CheckResult.Match, ResultOf(Declared() with { FullName = decomposed }, CitizenFields.FullName));
    }

    [Theory]
    [InlineData("Nguyên Thị Lan")]
    [InlineData("Nguyễn Thị")]
    [InlineData("Nguyễn ThịLan")]
    public void Name_WithOtherDiacriticsOrWords_IsAMismatch(string name)
        => Assert.Equal(CheckResult.Mismatch, ResultOf(Declared() with { FullName = name }, CitizenFields.FullName));

    [Fact]
    public void BirthDate_MatchesOnlyWithTheSamePrecisionAndParts()
    {
        Assert.Equal(CheckResult.Match, ResultOf(Declared() with { BirthDate = BirthDate.Full(1992, 3, 8) }, CitizenFields.BirthDate));
        Assert.Equal(CheckResult.Mismatch, ResultOf(Declared() with { BirthDate = BirthDate.MonthYear(1992, 3) }, CitizenFields.BirthDate));
        Assert.Equal(CheckResult.Mismatch, ResultOf(Declared() with { BirthDate = BirthDate.Full(1992, 3, 9) }, CitizenFields.BirthDate));
    }

    [Fact]
    public void Gender_IsCompared()
    {
        Assert.Equal(CheckResult.Match, ResultOf(Declared() with { Gender = Gender.Female }, CitizenFields.Gender));
        Assert.Equal(CheckResult.Mismatch, ResultOf(Declared() with { Gender = Gender.Male }, CitizenFields.Gender));
    }

    [Theory]
    [InlineData(" C-OLD ", CheckResult.Match)] // the commune as registered
    [InlineData("P-NEW", CheckResult.Match)] // the province it lies in today
    [InlineData("C-ELSEWHERE", CheckResult.Mismatch)]
    public void PermanentCommune_MatchesAnyUnitOfTheRegisteredAddress(string code, CheckResult result)
        => Assert.Equal(result, ResultOf(Declared() with { PermanentCommuneCode = code }, "permanent_residence_commune_code"));

    [Fact]
    public void PermanentCommune_OfAnAddressWithoutUnits_IsMissing()
    {
        var record = Record(permanentUnitCodes: []);

        Assert.Equal(CheckResult.Missing, ResultOf(Declared() with { PermanentCommuneCode = "C-OLD" }, "permanent_residence_commune_code", record));
    }

    [Fact]
    public void ParentIdNumbers_AreComparedWithoutSurroundingSpaces()
    {
        var checks = Run(Declared() with { FatherIdNumber = " 001060000123 ", MotherIdNumber = "001065000456" });

        Assert.Equal(CheckResult.Match, checks[CitizenFields.FatherIdNumber]);
        Assert.Equal(CheckResult.Mismatch, checks[CitizenFields.MotherIdNumber]);
    }

    [Fact]
    public void ParentNotInTheRecord_IsMissing_NotAMismatch()
    {
        var record = Record(father: null);

        Assert.Equal(CheckResult.Missing, ResultOf(Declared() with { FatherIdNumber = "001060000123" }, CitizenFields.FatherIdNumber, record));
    }

    [Theory]
    [InlineData("0912 345 678", CheckResult.Match)]
    [InlineData("+84 912 345 678", CheckResult.Match)]
    [InlineData("84912345678", CheckResult.Match)]
    [InlineData("0912 345 679", CheckResult.Mismatch)]
    [InlineData("912345678", CheckResult.Mismatch)]
    // Eleven digits not led by 84 carry no country code: the tail alone being the record's is not the same number.
    [InlineData("01912345678", CheckResult.Mismatch)]
    public void Phone_WrittenNationallyOrWithTheCountryCode_IsTheSameNumber(string phone, CheckResult result)
        => Assert.Equal(result, ResultOf(Declared() with { Phone = phone }, CitizenFields.Phone));

    [Fact]
    public void TenDigitNumberStartingWith84_IsNotReadAsACountryCode()
    {
        // 0849… is a national number of ten digits; only a longer one can carry +84.
        var record = Record(phone: "8491234567");

        Assert.Equal(CheckResult.Match, ResultOf(Declared() with { Phone = "8491234567" }, CitizenFields.Phone, record));
        Assert.Equal(CheckResult.Mismatch, ResultOf(Declared() with { Phone = "091234567" }, CitizenFields.Phone, record));
    }

    [Fact]
    public void FieldsNotDeclared_AreNotChecked_ButTheIdNumberAlwaysIs()
    {
        var checks = DeclarationCheck.Run(Declared(), Record());

        Assert.Equal(CitizenFields.IdNumber, Assert.Single(checks).Field);
        Assert.Equal(CheckResult.Match, checks[0].Result);
    }

    [Fact]
    public void WithoutARecord_EveryDeclaredFieldIsMissing()
    {
        var declared = Declared() with { FullName = "Nguyễn Thị Lan", Gender = Gender.Female, Phone = "0912345678", PermanentCommuneCode = "C-OLD" };

        var checks = DeclarationCheck.Run(declared, null);

        Assert.Equal(5, checks.Count);
        Assert.All(checks, c => Assert.Equal(CheckResult.Missing, c.Result));
    }

    private static DeclaredData Declared() => new(IdNumber, null, null, null, null, null, null, null);

    private static Dictionary<string, CheckResult> Run(DeclaredData declared, CitizenRecord? record = null)
        => DeclarationCheck.Run(declared, record ?? Record()).ToDictionary(c => c.Field, c => c.Result);

    private static CheckResult ResultOf(DeclaredData declared, string field, CitizenRecord? record = null) => Run(declared, record)[field];

    private static CitizenRecord Record(string? father = "001060000123", string? phone = "0912345678", IReadOnlyList<string>? permanentUnitCodes = null)
    {
        var row = new CitizenRow
        {
            IdNumber = IdNumber, FullName = "Nguyễn Thị Lan", FoldedName = "nguyen thi lan", BirthYear = 1992, BirthMonth = 3, BirthDay = 8,
            Gender = Gender.Female, Ethnicity = "Kinh", Religion = "Không", Nationality = "VN", PermanentAddress = "1 Phố Huế",
            CurrentAddress = "1 Phố Huế", FatherIdNumber = father, MotherIdNumber = "001065000999", Phone = phone,
        };
        var permanent = Place(permanentUnitCodes ?? ["C-OLD", "D-OLD", "P-OLD", "P-NEW"]);
        var nowhere = Place([]);
        return new CitizenRecord(row, nowhere, nowhere, permanent, null, permanent, [], []);
    }

    private static Place Place(IReadOnlyList<string> codes) => new(null, null, null, string.Empty, null, null, codes);
}
