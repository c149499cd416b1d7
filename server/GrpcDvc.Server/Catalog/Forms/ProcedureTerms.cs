namespace GrpcDvc.Server.Catalog.Forms;

/// <summary>How a processing time is counted. A half working day is <see cref="WorkingDays"/> with amount 0.5.</summary>
public enum ProcessingTimeKind
{
    /// <summary>No source gives the time (or none covers the date asked about): no deadline may be computed from it.</summary>
    Unknown,
    WorkingDays,
    CalendarDays,
    Hours,

    /// <summary>Handled on receipt ("tiếp nhận ngay").</summary>
    Immediate,
}

/// <summary>Another time the same procedure takes under a stated condition (data not in the database, a complex case).</summary>
public sealed record ProcessingTimeVariant(ProcessingTimeKind Kind, decimal? Amount, string ConditionEn);

/// <summary>
/// Sources that disagree about a term. The term itself holds the value the system applies; the
/// others stay here with their sources, and <see cref="NoteEn"/> says why that one was chosen.
/// </summary>
public sealed record TermConflict(string NoteEn, IReadOnlyList<TermAlternative> Alternatives);

public sealed record TermAlternative(string ValueEn, string Source);

/// <summary>
/// The processing time in force over [<see cref="ValidFrom"/>, <see cref="ValidTo"/>] (inclusive;
/// null = open). <see cref="Amount"/> is null for <see cref="ProcessingTimeKind.Immediate"/> and
/// <see cref="ProcessingTimeKind.Unknown"/>.
/// </summary>
public sealed record ProcessingTimeTerms(
    ProcessingTimeKind Kind,
    decimal? Amount,
    DateOnly? ValidFrom,
    DateOnly? ValidTo,
    IReadOnlyList<ProcessingTimeVariant> Variants,
    string? NoteEn,
    IReadOnlyList<string> Sources,
    TermConflict? Conflict)
{
    public bool Known => Kind != ProcessingTimeKind.Unknown;

    public bool IsHalfWorkingDay => Kind == ProcessingTimeKind.WorkingDays && Amount == 0.5m;

    /// <summary>What is said when no window covers a date: unknown, with the reason.</summary>
    public static ProcessingTimeTerms UnknownOn(DateOnly date)
        => new(ProcessingTimeKind.Unknown, null, null, null, [], $"No source in the catalog gives the processing time in force on {date:yyyy-MM-dd}.", [], null);
}

/// <summary>What a fee is counted per.</summary>
public enum FeeUnit
{
    PerDossier,
    PerPerson,

    /// <summary>Each item of information supplied (data extraction, Circular 48/2022/TT-BTC).</summary>
    PerInformationField,
}

/// <summary>The filing channel a waiver applies to.</summary>
public enum FeeChannel
{
    Any,
    Online,
    InPerson,
}

/// <summary>
/// A reduced or waived fee for those who meet <see cref="ConditionEn"/>, in force over its own
/// window (a waiver may span several fee windows, as the 2026–27 "công dân số" waiver does).
/// </summary>
public sealed record FeeWaiver(
    string Code,
    FeeChannel Channel,
    long AmountVnd,
    DateOnly? ValidFrom,
    DateOnly? ValidTo,
    string ConditionEn,
    IReadOnlyList<string> Sources);

/// <summary>
/// The fee in force over [<see cref="ValidFrom"/>, <see cref="ValidTo"/>], with the waivers in force
/// on the date asked about. Amounts are null when not <see cref="Known"/>.
/// </summary>
public sealed record FeeTerms(
    bool Known,
    long? InPersonVnd,
    long? OnlineVnd,
    FeeUnit Unit,
    DateOnly? ValidFrom,
    DateOnly? ValidTo,
    IReadOnlyList<FeeWaiver> Waivers,
    string? NoteEn,
    IReadOnlyList<string> Sources,
    TermConflict? Conflict)
{
    public static FeeTerms UnknownOn(DateOnly date, IReadOnlyList<FeeWaiver> waivers)
        => new(false, null, null, FeeUnit.PerDossier, null, null, waivers, $"No source in the catalog gives the fee in force on {date:yyyy-MM-dd}.", [], null);
}

/// <summary>
/// A procedure's online form and the terms in force on one date. <see cref="Form"/> is null when
/// the catalog does not know which form the procedure is filed with (<see cref="OnlineFormNote"/> says why).
/// </summary>
public sealed record ProcedureForm(string ProcedureCode, FormDefinition? Form, ProcessingTimeTerms Time, FeeTerms Fees)
{
    public DateOnly OnDate { get; init; }

    public string? OnlineFormNote { get; init; }
}

/// <summary>Date windows: which one is in force on a day.</summary>
public static class TermWindows
{
    public static bool Covers(DateOnly? from, DateOnly? to, DateOnly date)
        => (from is null || from <= date) && (to is null || date <= to);

    /// <summary>Whether two inclusive windows share a day.</summary>
    public static bool Overlap(DateOnly? fromA, DateOnly? toA, DateOnly? fromB, DateOnly? toB)
        => (fromA is null || toB is null || fromA <= toB) && (fromB is null || toA is null || fromB <= toA);
}

/// <summary>A procedure's form and terms on a date, for submission and for portals.</summary>
public interface IProcedureForms
{
    /// <summary>Null when no procedure has the code.</summary>
    Task<ProcedureForm?> FindForProcedureAsync(string procedureCode, DateOnly onDate, CancellationToken ct);
}
