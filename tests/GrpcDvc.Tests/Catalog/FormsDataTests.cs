using GrpcDvc.Server.Catalog;
using GrpcDvc.Server.Catalog.Forms;

namespace GrpcDvc.Tests.Catalog;

/// <summary>
/// The forms file and the procedures' dated terms hold together: every form a procedure names
/// exists, every fact has a source, and no two windows of one term share a day.
/// </summary>
public sealed class FormsDataTests
{
    private static readonly CatalogData Data = CatalogData.Load(CatalogSeeder.DefaultDataPath);
    private static readonly FormsData Forms = FormsData.Load(FormsData.DefaultPath);

    [Fact]
    public void EveryProcedure_NamesItsOnlineForm_AndEachNamedFormExists()
    {
        var codes = Forms.Forms.Select(f => f.Code).ToHashSet(StringComparer.Ordinal);
        Assert.All(Data.Procedures, p =>
        {
            Assert.NotNull(p.OnlineForm);
            if (p.OnlineForm.Known)
            {
                Assert.Contains(p.OnlineForm.FormCode!, codes);
                Assert.Contains(p.OnlineForm.FormCode!, p.Forms);
            }
            else
            {
                Assert.Null(p.OnlineForm.FormCode);
                Assert.False(string.IsNullOrWhiteSpace(p.OnlineForm.NoteEn));
            }
        });
    }

    [Fact]
    public void FormCodes_AreUnique_AndTheIssuesFormsAreThere()
    {
        Assert.Equal(Forms.Forms.Count, Forms.Forms.Select(f => f.Code).Distinct(StringComparer.Ordinal).Count());
        Assert.Superset(new HashSet<string>(StringComparer.Ordinal) { "CT01", "CC01", "DC02", "ANTT-M03", "DAU-M03" }, Forms.Forms.Select(f => f.Code).ToHashSet(StringComparer.Ordinal));
    }

    [Fact]
    public void FormsWithUnknownFields_ListNone_AndKnownOnesListTheirsOnce()
    {
        Assert.All(Forms.Forms, f =>
        {
            Assert.NotEmpty(f.Sources);
            var definition = f.ToDefinition();
            if (!definition.FieldsKnown)
            {
                Assert.Empty(definition.Fields);
                return;
            }

            Assert.NotEmpty(definition.Fields);
            Assert.Equal(definition.Fields.Count, definition.Fields.Select(x => x.Key).Distinct(StringComparer.Ordinal).Count());
            Assert.All(definition.Fields, x => Assert.Matches("^[a-z][a-z0-9_]*$", x.Key));
            Assert.All(definition.Fields.Where(x => x.Type == FormFieldType.Choice), x => Assert.NotEmpty(x.Choices!));
        });
    }

    [Fact]
    public void Ct01_HasTheDeclarationsItems()
    {
        var ct01 = Forms.Forms.Single(f => f.Code == "CT01").ToDefinition();
        Assert.True(ct01.FieldsKnown);
        Assert.Equal(
            ["full_name", "date_of_birth", "gender", "personal_id_number", "phone", "email", "household_head_name", "relationship_to_household_head", "household_head_id_number", "request_content"],
            ct01.Fields.Select(f => f.Key));
    }

    [Fact]
    public void EveryFact_HasASource()
        => Assert.All(Data.Procedures, p =>
        {
            Assert.NotEmpty(p.ProcessingTimeTerms);
            Assert.NotEmpty(p.FeeTerms);
            Assert.All(p.ProcessingTimeTerms, t => Assert.NotEmpty(t.Sources));
            Assert.All(p.FeeTerms, t => Assert.NotEmpty(t.Sources));
            Assert.All(p.FeeWaivers, w => Assert.NotEmpty(w.Sources));
            Assert.All(p.ProcessingTimeTerms.Select(t => t.Conflict).OfType<TermConflictData>(), c => Assert.All(c.Alternatives, a => Assert.False(string.IsNullOrWhiteSpace(a.Source))));
            if (p.RequiredDocumentsKnown)
            {
                Assert.NotEmpty(p.RequiredDocumentsSources ?? []);
            }
        });

    [Fact]
    public void NoTwoWindowsOfOneTerm_ShareADay()
        => Assert.All(Data.Procedures, p =>
        {
            AssertNoOverlap(p.Code, "processing time", p.ProcessingTimeTerms.Select(t => t.ToTerms()).Select(t => (t.ValidFrom, t.ValidTo)).ToList());
            AssertNoOverlap(p.Code, "fee", p.FeeTerms.Select(t => t.ToTerms([])).Select(t => (t.ValidFrom, t.ValidTo)).ToList());
            foreach (var waivers in p.FeeWaivers.Select(w => w.ToWaiver()).GroupBy(w => w.Code))
            {
                AssertNoOverlap(p.Code, $"waiver {waivers.Key}", waivers.Select(w => (w.ValidFrom, w.ValidTo)).ToList());
            }
        });

    [Fact]
    public void TermWindows_Overlap_SeesSharedDaysAndOpenEnds()
    {
        Assert.True(TermWindows.Overlap(null, D("2026-03-15"), D("2026-03-15"), null));
        Assert.False(TermWindows.Overlap(null, D("2026-03-14"), D("2026-03-15"), null));
        Assert.True(TermWindows.Overlap(null, null, D("2020-01-01"), D("2020-01-01")));
    }

    [Fact]
    public void Conflicts_StayVisible_WithTheAppliedValueAndTheOther()
    {
        var removal = Data.Procedures.Single(p => p.Code == "BCA-L4-05").Terms.TimeOn(new DateOnly(2026, 4, 1));
        Assert.Equal(3m, removal.Amount);
        Assert.NotNull(removal.Conflict);
        Assert.Contains(removal.Conflict.Alternatives, a => a.ValueEn == "2 working days" && a.Source.Contains("1.010028", StringComparison.Ordinal));
    }

    private static DateOnly D(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static void AssertNoOverlap(string code, string term, List<(DateOnly? From, DateOnly? To)> windows)
    {
        Assert.All(windows, w => Assert.True(w.From is null || w.To is null || w.From <= w.To, $"{code} {term}: window ends before it starts"));
        for (var i = 0; i < windows.Count; i++)
        {
            for (var j = i + 1; j < windows.Count; j++)
            {
                Assert.False(TermWindows.Overlap(windows[i].From, windows[i].To, windows[j].From, windows[j].To), $"{code} {term}: windows {i} and {j} share a day");
            }
        }
    }
}
