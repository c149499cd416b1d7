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
        var terms = Data.Procedures.SelectMany(p => p.ProcessingTimeTerms).ToList();
        Assert.All(terms.Where(t => t.Kind is "unknown" or "immediate"), t => Assert.Null(t.Amount));
        Assert.All(terms.Where(t => t.Kind is not ("unknown" or "immediate")), t => Assert.NotNull(t.Amount));
        Assert.All(Data.Procedures.SelectMany(p => p.FeeTerms).Where(f => !f.Known), f =>
        {
            Assert.Null(f.InPersonVnd);
            Assert.Null(f.OnlineVnd);
        });
        Assert.All(Data.Procedures.Where(p => !p.RequiredDocumentsKnown), p => Assert.Empty(p.RequiredDocuments));
    }

    [Fact]
    public void PersonalIdNotification_TimeAndFee_AreUnknown_AsNoSourceGivesThem()
    {
        var notification = Assert.Single(Data.Procedures, p => p.NameVi.StartsWith("Thông báo số định danh cá nhân", StringComparison.Ordinal));
        Assert.Equal("unknown", Assert.Single(notification.ProcessingTimeTerms).Kind);
        Assert.False(Assert.Single(notification.FeeTerms).Known);
        Assert.False(notification.OnlineForm.Known);
    }

    [Fact]
    public void PermanentResidence_HasSevenWorkingDaysAndCircular75Fees()
    {
        var permanent = Data.Procedures.Single(p => p.Code == "BCA-L4-01");
        Assert.Equal("Đăng ký thường trú thực hiện tại Công an cấp xã", permanent.NameVi);
        var time = Assert.Single(permanent.ProcessingTimeTerms);
        Assert.Equal(7m, time.Amount);
        Assert.Equal("working_days", time.Kind);
        var fee = Assert.Single(permanent.FeeTerms);
        Assert.Equal(20_000, fee.InPersonVnd);
        Assert.Equal(10_000, fee.OnlineVnd);
        Assert.Equal("CT01", permanent.OnlineForm.FormCode);
    }

    [Fact]
    public void Fields_AreTheFourOfTheCatalog()
        => Assert.All(Data.Procedures, p => Assert.Contains(p.Field, ProcedureFilter.Fields));
}
