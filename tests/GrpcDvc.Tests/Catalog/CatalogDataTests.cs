using GrpcDvc.Server.Catalog;

namespace GrpcDvc.Tests.Catalog;

/// <summary>The seed data file holds the 35 procedures of Decision 10695's annexes, and invents nothing.</summary>
public sealed class CatalogDataTests
{
    private static readonly CatalogData Data = CatalogData.Load(CatalogSeeder.DefaultDataPath);

    [Fact]
    public void DataFile_HoldsAll35Procedures_29AtLevel4And6AtLevel3()
    {
        Assert.Equal(35, Data.Procedures.Count);
        Assert.Equal(29, Data.Procedures.Count(p => p.ServiceLevel == 4));
        Assert.Equal(6, Data.Procedures.Count(p => p.ServiceLevel == 3));
    }

    [Fact]
    public void Codes_AreUnique()
        => Assert.Equal(Data.Procedures.Count, Data.Procedures.Select(p => p.Code).Distinct(StringComparer.Ordinal).Count());

    [Fact]
    public void EveryAgencyLevelNamed_IsDefinedInTheData()
    {
        var levels = Data.AgencyLevels.Select(l => l.Code).ToHashSet(StringComparer.Ordinal);
        Assert.All(Data.Procedures, p => Assert.All(p.AgencyLevels, l => Assert.Contains(l, levels)));
        Assert.Superset(new HashSet<string>(StringComparer.Ordinal) { "ministry", "province", "district", "commune" }, levels);
    }

    [Fact]
    public void UnknownFacts_CarryNoValues()
    {
        Assert.All(Data.Procedures.Where(p => !p.ProcessingTime.Known), p => Assert.Null(p.ProcessingTime.Amount));
        Assert.All(Data.Procedures.Where(p => !p.Fees.Known), p =>
        {
            Assert.Null(p.Fees.InPersonVnd);
            Assert.Null(p.Fees.OnlineVnd);
        });
        Assert.All(Data.Procedures.Where(p => !p.RequiredDocumentsKnown), p => Assert.Empty(p.RequiredDocuments));
    }

    [Fact]
    public void PersonalIdNotification_TimeAndFee_AreUnknown_AsNoSourceGivesThem()
    {
        var notification = Assert.Single(Data.Procedures, p => p.NameVi.StartsWith("Thông báo số định danh cá nhân", StringComparison.Ordinal));
        Assert.False(notification.ProcessingTime.Known);
        Assert.False(notification.Fees.Known);
    }

    [Fact]
    public void PermanentResidence_HasCircular66TimeAndCircular75Fees()
    {
        var permanent = Data.Procedures.Single(p => p.Code == "BCA-L4-01");
        Assert.Equal("Đăng ký thường trú thực hiện tại Công an cấp xã", permanent.NameVi);
        Assert.Equal(7m, permanent.ProcessingTime.Amount);
        Assert.Equal("working_days", permanent.ProcessingTime.Unit);
        Assert.Equal(20_000, permanent.Fees.InPersonVnd);
        Assert.Equal(10_000, permanent.Fees.OnlineVnd);
    }

    [Fact]
    public void Fields_AreTheFourOfTheCatalog()
        => Assert.All(Data.Procedures, p => Assert.Contains(p.Field, ProcedureFilter.Fields));
}
