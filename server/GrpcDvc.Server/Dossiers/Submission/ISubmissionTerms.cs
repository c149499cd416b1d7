using GrpcDvc.Server.Errors;

namespace GrpcDvc.Server.Dossiers.Submission;

/// <summary>
/// What the catalog says about one submission of a procedure on a day: the problems of the form the
/// citizen filled (field violations on <c>form.&lt;key&gt;</c>) and the processing time in force. The
/// port the submission asks; <see cref="CatalogFormTerms"/> answers from the catalog's forms as data
/// and dated terms (Catalog/Forms).
/// </summary>
public interface ISubmissionTerms
{
    /// <summary>Null when the catalog has no such procedure.</summary>
    Task<SubmissionTerms?> ForAsync(string procedureCode, DateOnly onDate, IReadOnlyDictionary<string, string> form, CancellationToken cancellationToken);
}

/// <param name="FormProblems">One violation per problem of the form, on <c>form.&lt;key&gt;</c> (or <c>form</c>).</param>
/// <param name="Time">The statutory processing time on that day.</param>
public sealed record SubmissionTerms(IReadOnlyList<FieldViolation> FormProblems, ProcessingTime Time);

public enum ProcessingTimeKind
{
    /// <summary>The catalog gives no time: the dossier has no due date.</summary>
    Unknown = 0,

    /// <summary>Whole or half working days (ngày làm việc).</summary>
    WorkingDays = 1,

    /// <summary>Calendar days (ngày), as for a residence declaration of someone not in the database.</summary>
    CalendarDays = 2,

    /// <summary>Working hours (giờ làm việc).</summary>
    WorkingHours = 3,

    /// <summary>Received and settled at once (tiếp nhận ngay): due when the clock starts.</summary>
    Immediate = 4,
}

/// <summary>
/// A statutory time. Some procedures have two, chosen by the registry: L4-08 is 5 working days when
/// the person's data is in the population database and 30 days when not; L4-09 is ½ working day
/// or 3. <see cref="WhenNotInRegistry"/> is the second one; the registry check's result picks.
/// </summary>
public sealed record ProcessingTime(ProcessingTimeKind Kind, decimal Amount, ProcessingTime? WhenNotInRegistry = null)
{
    public static ProcessingTime Unknown { get; } = new(ProcessingTimeKind.Unknown, 0);

    /// <summary>The time that applies once the registry check has said whether every person concerned is in the database.</summary>
    public ProcessingTime For(bool everyoneInRegistry)
        => everyoneInRegistry || WhenNotInRegistry is null ? this with { WhenNotInRegistry = null } : WhenNotInRegistry;
}
