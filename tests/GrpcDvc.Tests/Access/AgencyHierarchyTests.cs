using GrpcDvc.Server.Access;
using GrpcDvc.Server.Population;

namespace GrpcDvc.Tests.Access;

/// <summary>Agency scope over the real provinces of the data file plus a few districts and communes under them.</summary>
public sealed class AgencyHierarchyTests
{
    private static readonly List<UnitLink> AllUnits = Build();
    private static readonly AgencyHierarchy Units = new(AllUnits, ["BCA"]);

    [Fact]
    public void Unit_CoversItself()
        => Assert.True(Units.Covers("P34-04", ["P34-04"]));

    [Fact]
    public void Province_CoversItsDistrictsAndTheirCommunes()
    {
        Assert.True(Units.Covers("P34-04", ["P34-04-H01"]));
        Assert.True(Units.Covers("P34-04", ["X-CB-01"]));
        Assert.True(Units.Covers("P34-04-H01", ["X-CB-01"]));
    }

    [Fact]
    public void Unit_DoesNotCoverItsParentOrSiblings()
    {
        Assert.False(Units.Covers("P34-04-H01", ["P34-04"]));
        Assert.False(Units.Covers("P34-04-H01", ["P34-04-H02"]));
        Assert.False(Units.Covers("X-CB-01", ["P34-04-H01"]));
    }

    [Fact]
    public void Province_DoesNotCoverAnotherProvince()
        => Assert.False(Units.Covers("P34-01", ["P34-04-H01", "P34-79"]));

    [Fact]
    public void NewProvince_CoversUnitsOfTheOldProvincesMergedIntoIt()
    {
        // Hà Giang (002) and Tuyên Quang (008) became the new Tuyên Quang (P34-08) on 1/7/2025.
        Assert.True(Units.Covers("P34-08", ["P63-002"]));
        Assert.True(Units.Covers("P34-08", ["P63-002-H01"]));
        Assert.True(Units.Covers("P34-08", ["X-HG-01"]));
        Assert.True(Units.Covers("P34-08", ["P63-008"]));
    }

    [Fact]
    public void NewProvince_DoesNotCoverOldProvincesMergedElsewhere()
        => Assert.False(Units.Covers("P34-08", ["P63-001-H01"]));

    [Fact]
    public void MergedCommune_IsCoveredThroughItsSuccessor()
    {
        // X-CB-02 was merged into X-CB-01; the district above the successor covers the old commune.
        Assert.True(Units.Covers("P34-04-H01", ["X-CB-02"]));
        Assert.False(Units.Covers("P34-04-H02", ["X-CB-02"]));
    }

    [Fact]
    public void Ministry_CoversEveryUnit_EvenUnknownOnes()
    {
        Assert.True(Units.Covers("BCA", ["P34-79"]));
        Assert.True(Units.Covers("BCA", ["X-HG-01"]));
        Assert.True(Units.Covers("BCA", []));
    }

    [Fact]
    public void Subject_WithSeveralUnits_IsCoveredWhenAnyOneIs()
        => Assert.True(Units.Covers("P34-04", ["P63-079", "X-CB-01"]));

    [Fact]
    public void UnknownAgencyOrSubject_IsNotCovered()
    {
        Assert.False(Units.Covers("P99-99", ["P34-04"]));
        Assert.False(Units.Covers("P34-04", ["X-NOWHERE"]));
        Assert.False(Units.Covers("P34-04", []));
    }

    [Fact]
    public void CycleInTheData_EndsTheWalk()
    {
        var looped = new AgencyHierarchy([new UnitLink(1, "A", 2, null), new UnitLink(2, "B", 1, null), new UnitLink(3, "C", null, null)], ["BCA"]);

        Assert.True(looped.Covers("B", ["A"]));
        Assert.False(looped.Covers("C", ["A"]));
    }

    [Theory]
    [InlineData("P34-04")]
    [InlineData("P34-04-H01")]
    [InlineData("P34-08")]
    [InlineData("X-CB-01")]
    [InlineData("P34-79")]
    public void CoveredUnitIds_AreExactlyTheUnitsCoversAccepts(string agency)
    {
        var covered = Units.CoveredUnitIds(agency)!;

        foreach (var unit in AllUnits)
        {
            Assert.True(Units.Covers(agency, [unit.Code]) == covered.Contains(unit.Id), $"{agency} and {unit.Code}");
        }

        Assert.Contains(AllUnits.Single(u => u.Code == agency).Id, covered);
    }

    [Fact]
    public void CoveredUnitIds_OfANewProvince_HoldTheOldProvincesAndCommunesMergedIntoIt()
    {
        var covered = Units.CoveredUnitIds("P34-08")!;

        Assert.Contains(AllUnits.Single(u => u.Code == "X-HG-01").Id, covered);
        Assert.Contains(AllUnits.Single(u => u.Code == "P63-002").Id, covered);
        Assert.DoesNotContain(AllUnits.Single(u => u.Code == "P63-001-H01").Id, covered);
    }

    [Fact]
    public void CoveredUnitIds_OfTheMinistryAreUnlimited_OfAnUnknownUnitNone()
    {
        Assert.Null(Units.CoveredUnitIds("BCA"));
        Assert.Empty(Units.CoveredUnitIds("P99-99")!);
    }

    private static List<UnitLink> Build()
    {
        var provinces = AdministrativeUnitData.Load(AdministrativeUnitData.DefaultPath).ToRows()
            .Select(r => new UnitLink(r.Id, r.Code, r.ParentId, r.SuccessorId))
            .ToList();
        List<UnitLink> local =
        [
            new(900_001, "P34-04-H01", 2004, null),
            new(900_002, "P34-04-H02", 2004, null),
            new(900_003, "X-CB-01", 900_001, null),
            // A commune merged into X-CB-01: the data keeps it with no parent, only the successor link leads on.
            new(900_004, "X-CB-02", null, 900_003),
            new(900_005, "P63-002-H01", 1002, null),
            new(900_006, "X-HG-01", 900_005, null),
            new(900_007, "P63-001-H01", 1001, null),
        ];
        return [.. provinces, .. local];
    }
}
