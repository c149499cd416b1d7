using GrpcDvc.Server.Catalog;
using GrpcDvc.Server.Catalog.Forms;

namespace GrpcDvc.Tests.Catalog;

/// <summary>The terms in force on a date come from the dated windows of the data, as the legal texts dated them.</summary>
public sealed class EffectiveDatingTests
{
    private static readonly CatalogData Data = CatalogData.Load(CatalogSeeder.DefaultDataPath);

    private static ProcedureTermsData Terms(string code) => Data.Procedures.Single(p => p.Code == code).Terms;

    /// <summary>
    /// Circular 64/2025 halves card fees from 01/07/2025 to 31/12/2026, so 30 June and 1 July 2026
    /// cost the same; 2027 is back at the full VND 70,000, while the "công dân số" waiver
    /// (15/08/2026–28/02/2027) still runs.
    /// </summary>
    [Theory]
    [InlineData("2025-06-30", 70_000, false)]
    [InlineData("2025-07-01", 35_000, false)]
    [InlineData("2026-06-30", 35_000, false)]
    [InlineData("2026-07-01", 35_000, false)]
    [InlineData("2026-08-15", 35_000, true)]
    [InlineData("2026-12-31", 35_000, true)]
    [InlineData("2027-01-01", 70_000, true)]
    [InlineData("2027-02-28", 70_000, true)]
    [InlineData("2027-03-01", 70_000, false)]
    public void CardReissueFee_OnADate_IsTheFeeInForceThatDay(string date, long fee, bool digitalCitizenWaiver)
    {
        var fees = Terms("BCA-L3-05").FeesOn(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(fees.Known);
        Assert.Equal(fee, fees.InPersonVnd);
        Assert.Equal(fee, fees.OnlineVnd);
        Assert.Equal(digitalCitizenWaiver, fees.Waivers.Any(w => w.Code == "cong_dan_so_online" && w.Channel == FeeChannel.Online && w.AmountVnd == 0));
    }

    [Fact]
    public void CardRenewalFee_2025_HalvesOnlineFirstThenEveryChannel()
    {
        var terms = Terms("BCA-L3-03");
        Assert.Equal((50_000L, 50_000L), Pair(terms.FeesOn(new DateOnly(2024, 12, 31))));
        Assert.Equal((50_000L, 25_000L), Pair(terms.FeesOn(new DateOnly(2025, 1, 1))));
        Assert.Equal((25_000L, 25_000L), Pair(terms.FeesOn(new DateOnly(2025, 7, 1))));
        Assert.Equal((50_000L, 50_000L), Pair(terms.FeesOn(new DateOnly(2027, 1, 1))));
    }

    [Fact]
    public void Decree58_ShortensTheSecurityCertificate_From15March2026()
    {
        var terms = Terms("BCA-L4-19");
        var before = terms.TimeOn(new DateOnly(2026, 3, 14));
        var after = terms.TimeOn(new DateOnly(2026, 3, 15));

        Assert.Equal((ProcessingTimeKind.WorkingDays, 5m), (before.Kind, before.Amount));
        Assert.Equal((ProcessingTimeKind.WorkingDays, 4m), (after.Kind, after.Amount));
        Assert.NotNull(after.Conflict);
    }

    [Fact]
    public void IdentityLaw2023_SetsSevenWorkingDays_From1July2024()
    {
        Assert.Equal(15m, Terms("BCA-L3-05").TimeOn(new DateOnly(2024, 6, 30)).Amount);
        Assert.Equal(7m, Terms("BCA-L3-05").TimeOn(new DateOnly(2024, 7, 1)).Amount);
    }

    [Fact]
    public void DataExtractionFee_BeforeAnySourcedWindow_IsUnknown()
    {
        var terms = Terms("BCA-L4-15");
        Assert.False(terms.FeesOn(new DateOnly(2022, 9, 16)).Known);
        var halved = terms.FeesOn(new DateOnly(2022, 9, 17));
        Assert.Equal((500L, FeeUnit.PerInformationField), (halved.OnlineVnd!.Value, halved.Unit));
        Assert.Equal(1_000, terms.FeesOn(new DateOnly(2024, 1, 1)).OnlineVnd);
    }

    [Fact]
    public void ProcessingTimeKinds_CoverWorkingCalendarImmediateAndUnknown()
    {
        var on = new DateOnly(2026, 11, 1);
        Assert.Equal(ProcessingTimeKind.Immediate, Terms("BCA-L4-10").TimeOn(on).Kind);
        Assert.Null(Terms("BCA-L4-10").TimeOn(on).Amount);
        Assert.Equal(ProcessingTimeKind.Unknown, Terms("BCA-L4-12").TimeOn(on).Kind);
        Assert.Contains(Terms("BCA-L4-08").TimeOn(on).Variants, v => v is { Kind: ProcessingTimeKind.CalendarDays, Amount: 30m });
        Assert.True(new ProcessingTimeTerms(ProcessingTimeKind.WorkingDays, 0.5m, null, null, [], null, [], null).IsHalfWorkingDay);
    }

    [Fact]
    public void DigitalCitizenWaiver_CoversTheResidenceFeesNamedByResolution66_22()
    {
        var on = new DateOnly(2026, 9, 1);
        foreach (var code in new[] { "BCA-L4-01", "BCA-L4-03", "BCA-L4-04", "BCA-L4-06", "BCA-L3-03", "BCA-L3-05" })
        {
            Assert.Contains(Terms(code).FeesOn(on).Waivers, w => w.Code == "cong_dan_so_online");
            Assert.DoesNotContain(Terms(code).FeesOn(new DateOnly(2026, 8, 14)).Waivers, w => w.Code == "cong_dan_so_online");
        }
    }

    private static (long InPerson, long Online) Pair(FeeTerms fees) => (fees.InPersonVnd!.Value, fees.OnlineVnd!.Value);
}
