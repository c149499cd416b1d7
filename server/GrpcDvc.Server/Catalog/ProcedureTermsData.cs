using System.Globalization;
using System.Text.Json;
using GrpcDvc.Server.Catalog.Forms;

namespace GrpcDvc.Server.Catalog;

/// <summary>
/// A procedure's online form and effective-dated terms as the data file writes them (and as
/// procedures.terms_json stores them). Dates are yyyy-MM-dd, inclusive; a missing date is an open end.
/// </summary>
public sealed record ProcedureTermsData(
    OnlineFormData OnlineForm,
    IReadOnlyList<ProcessingTimeTermData> ProcessingTimeTerms,
    IReadOnlyList<FeeTermData> FeeTerms,
    IReadOnlyList<FeeWaiverData> FeeWaivers)
{
    public static ProcedureTermsData Parse(string json)
        => JsonSerializer.Deserialize<ProcedureTermsData>(json, CatalogData.Json) ?? throw new InvalidDataException("Empty procedure terms.");

    public string ToJson() => JsonSerializer.Serialize(this, CatalogData.Json);

    /// <summary>The processing time in force on a date; unknown when no window covers it.</summary>
    public ProcessingTimeTerms TimeOn(DateOnly date)
        => ProcessingTimeTerms.Select(t => t.ToTerms()).FirstOrDefault(t => TermWindows.Covers(t.ValidFrom, t.ValidTo, date))
            ?? Forms.ProcessingTimeTerms.UnknownOn(date);

    /// <summary>The fee in force on a date, with the waivers in force that day.</summary>
    public FeeTerms FeesOn(DateOnly date)
    {
        var waivers = FeeWaivers.Select(w => w.ToWaiver()).Where(w => TermWindows.Covers(w.ValidFrom, w.ValidTo, date)).ToList();
        var fee = FeeTerms.FirstOrDefault(t => TermWindows.Covers(TermDates.Parse(t.ValidFrom), TermDates.Parse(t.ValidTo), date));
        return fee?.ToTerms(waivers) ?? Forms.FeeTerms.UnknownOn(date, waivers);
    }
}

/// <summary>Which form a procedure is filed online with; <see cref="FormCode"/> is absent when not <see cref="Known"/>.</summary>
public sealed record OnlineFormData(bool Known, string? FormCode = null, string? NoteEn = null);

public sealed record ProcessingTimeVariantData(string Kind, decimal? Amount, string ConditionEn);

public sealed record TermAlternativeData(string ValueEn, string Source);

public sealed record TermConflictData(string NoteEn, IReadOnlyList<TermAlternativeData> Alternatives)
{
    public TermConflict ToConflict() => new(NoteEn, [.. Alternatives.Select(a => new TermAlternative(a.ValueEn, a.Source))]);
}

public sealed record ProcessingTimeTermData(
    string Kind,
    IReadOnlyList<string> Sources,
    decimal? Amount = null,
    string? ValidFrom = null,
    string? ValidTo = null,
    IReadOnlyList<ProcessingTimeVariantData>? Variants = null,
    string? NoteEn = null,
    TermConflictData? Conflict = null)
{
    public ProcessingTimeTerms ToTerms() => new(
        TermDates.Kind(Kind), Amount, TermDates.Parse(ValidFrom), TermDates.Parse(ValidTo),
        [.. (Variants ?? []).Select(v => new ProcessingTimeVariant(TermDates.Kind(v.Kind), v.Amount, v.ConditionEn))],
        NoteEn, Sources, Conflict?.ToConflict());
}

public sealed record FeeTermData(
    bool Known,
    IReadOnlyList<string> Sources,
    string Unit = "per_dossier",
    long? InPersonVnd = null,
    long? OnlineVnd = null,
    string? ValidFrom = null,
    string? ValidTo = null,
    string? NoteEn = null,
    TermConflictData? Conflict = null)
{
    public FeeTerms ToTerms(IReadOnlyList<FeeWaiver> waivers) => new(
        Known, InPersonVnd, OnlineVnd, TermDates.Unit(Unit), TermDates.Parse(ValidFrom), TermDates.Parse(ValidTo),
        waivers, NoteEn, Sources, Conflict?.ToConflict());
}

public sealed record FeeWaiverData(
    string Code,
    string Channel,
    long AmountVnd,
    string ConditionEn,
    IReadOnlyList<string> Sources,
    string? ValidFrom = null,
    string? ValidTo = null)
{
    public FeeWaiver ToWaiver() => new(Code, TermDates.Channel(Channel), AmountVnd, TermDates.Parse(ValidFrom), TermDates.Parse(ValidTo), ConditionEn, Sources);
}

/// <summary>The data file's spellings of dates and enum values; anything else is a broken file.</summary>
internal static class TermDates
{
    public static DateOnly? Parse(string? text)
        => text is null ? null
            : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
            : throw new InvalidDataException($"'{text}' is not a yyyy-MM-dd date.");

    public static ProcessingTimeKind Kind(string text) => text switch
    {
        "unknown" => ProcessingTimeKind.Unknown,
        "working_days" => ProcessingTimeKind.WorkingDays,
        "calendar_days" => ProcessingTimeKind.CalendarDays,
        "hours" => ProcessingTimeKind.Hours,
        "immediate" => ProcessingTimeKind.Immediate,
        _ => throw new InvalidDataException($"'{text}' is not a processing-time kind."),
    };

    public static FeeUnit Unit(string text) => text switch
    {
        "per_dossier" => FeeUnit.PerDossier,
        "per_person" => FeeUnit.PerPerson,
        "per_information_field" => FeeUnit.PerInformationField,
        _ => throw new InvalidDataException($"'{text}' is not a fee unit."),
    };

    public static FeeChannel Channel(string text) => text switch
    {
        "any" => FeeChannel.Any,
        "online" => FeeChannel.Online,
        "in_person" => FeeChannel.InPerson,
        _ => throw new InvalidDataException($"'{text}' is not a fee channel."),
    };
}
