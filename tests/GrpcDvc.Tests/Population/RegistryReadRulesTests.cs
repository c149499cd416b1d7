using GrpcDvc.Server.Population;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Population.Registry;

namespace GrpcDvc.Tests.Population;

/// <summary>
/// The registry's read rules that need no database: which name words a search asks the index for,
/// what a page token is bound to, which parts a read loads, and what a record derives from its rows.
/// </summary>
public sealed class RegistryReadRulesTests
{
    [Fact]
    public void SearchIndexWords_LeaveOutRepeatsAndWordsThatStartAnotherWord()
    {
        var search = new CitizenSearch(["ng", "nguyen", "van", "van", "v", "an"], null, null);

        Assert.Equal(["nguyen", "van", "an"], search.IndexWords);
    }

    [Fact]
    public void SearchIndexWords_OfDistinctWords_AreAllKept()
        => Assert.Equal(["thi", "lan"], new CitizenSearch(["thi", "lan"], 1990, null).IndexWords);

    [Fact]
    public void SearchFingerprint_ChangesWithEveryPartOfTheFilter()
    {
        var search = new CitizenSearch(["nguyen", "lan"], 1990, 42);

        Assert.Equal("nguyen lan|1990|42", search.Fingerprint());
        Assert.NotEqual(search.Fingerprint(), (search with { BirthYear = 1991 }).Fingerprint());
        Assert.NotEqual(search.Fingerprint(), (search with { PlaceUnitId = null }).Fingerprint());
    }

    [Theory]
    [InlineData(CitizenParts.Documents, "documents")]
    [InlineData(CitizenParts.Documents, "full_name", "old_id_numbers")]
    [InlineData(CitizenParts.None, "full_name", "permanent_residence")]
    [InlineData(CitizenParts.None)]
    public void PartsRead_AreThoseTheFieldsAreMadeFrom(CitizenParts parts, params string[] fields)
        => Assert.Equal(parts, CitizenPartsFor.Fields(fields));

    [Fact]
    public void OldIdNumbers_AreTheNumbersOfTheCmndCardsOnly_EachOnce()
    {
        var record = Record(documents:
        [
            Card(IdentityDocumentKind.Cmnd9, "123456789"),
            Card(IdentityDocumentKind.Cmnd9, "123456789"),
            Card(IdentityDocumentKind.Cmnd12, "123456789012"),
            Card(IdentityDocumentKind.CccdChip, "001092012345"),
        ]);

        Assert.Equal(["123456789", "123456789012"], record.OldIdNumbers);
    }

    [Fact]
    public void ResidenceUnitCodes_JoinPermanentTemporaryAndCurrentResidence_EachOnce()
    {
        var withTemporary = Record(temporary: Place(["C-TMP", "P-A"]));
        var withoutTemporary = Record(temporary: null);

        Assert.Equal(["C-PERM", "P-A", "C-TMP", "C-CUR"], withTemporary.ResidenceUnitCodes);
        Assert.Equal(["C-PERM", "P-A", "C-CUR"], withoutTemporary.ResidenceUnitCodes);
    }

    [Fact]
    public void BirthDate_KeepsThePrecisionOfTheRow()
    {
        Assert.Equal(BirthDate.MonthYear(1992, 3), Record(birthDay: null).BirthDate);
        Assert.Equal(BirthDate.Full(1992, 3, 8), Record().BirthDate);
    }

    private static CitizenRecord Record(IReadOnlyList<IdentityDocumentRow>? documents = null, Place? temporary = null, int? birthDay = 8)
    {
        var row = new CitizenRow
        {
            IdNumber = "001092012345", FullName = "Nguyễn Thị Lan", FoldedName = "nguyen thi lan", BirthYear = 1992, BirthMonth = 3,
            BirthDay = birthDay, Gender = Gender.Female, Ethnicity = "Kinh", Religion = "Không", Nationality = "VN",
            PermanentAddress = "1 Phố Huế", CurrentAddress = "2 Phố Huế",
        };
        var nowhere = Place([]);
        return new CitizenRecord(row, nowhere, nowhere, Place(["C-PERM", "P-A"]), temporary, Place(["C-CUR", "P-A"]), documents ?? [], []);
    }

    private static IdentityDocumentRow Card(IdentityDocumentKind kind, string number)
        => new() { Kind = kind, Number = number, IssuedBy = "Công an", IssuedOn = new DateOnly(2010, 1, 1) };

    private static Place Place(IReadOnlyList<string> codes) => new(null, null, null, string.Empty, null, null, codes);
}
