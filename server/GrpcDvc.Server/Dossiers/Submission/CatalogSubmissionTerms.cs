using GrpcDvc.Server.Catalog;
using GrpcDvc.Server.Errors;

namespace GrpcDvc.Server.Dossiers.Submission;

/// <summary>
/// The interim <see cref="ISubmissionTerms"/> over today's catalog tables: the processing time of the
/// procedure's row, and a form checked only for size (today's catalog describes no form's fields).
/// It is replaced by an adapter over the forms-as-data catalog, which validates each field.
/// </summary>
public sealed class CatalogSubmissionTerms(CatalogStore catalog) : ISubmissionTerms
{
    public const int MaxFormKeys = 50;
    public const int MaxKeyLength = 64;
    public const int MaxValueLength = 2000;

    /// <summary>
    /// The second time of the procedures whose time depends on the registry, from the catalog's own
    /// notes on them (the rows hold only the first): L4-08 "5 ngày làm việc nếu thông tin đã có trong
    /// CSDL quốc gia về dân cư; nếu chưa có thì 30 ngày", L4-09 "½ ngày làm việc …; nếu chưa có thì 3 ngày làm việc".
    /// </summary>
    private static readonly Dictionary<string, ProcessingTime> NotInRegistry = new(StringComparer.Ordinal)
    {
        ["BCA-L4-08"] = new(ProcessingTimeKind.CalendarDays, 30),
        ["BCA-L4-09"] = new(ProcessingTimeKind.WorkingDays, 3),
    };

    public async Task<SubmissionTerms?> ForAsync(string procedureCode, DateOnly onDate, IReadOnlyDictionary<string, string> form, CancellationToken cancellationToken)
    {
        var procedure = await catalog.FindAsync(procedureCode, cancellationToken);
        return procedure is null ? null : new SubmissionTerms(FormProblems(form), TimeOf(procedure));
    }

    public static ProcessingTime TimeOf(ProcedureRecord procedure)
    {
        if (!procedure.ProcessingTimeKnown || procedure.ProcessingTimeAmount is not { } amount)
        {
            return ProcessingTime.Unknown;
        }

        var kind = procedure.ProcessingTimeUnit switch
        {
            "working_days" => ProcessingTimeKind.WorkingDays,
            "calendar_days" or "days" => ProcessingTimeKind.CalendarDays,
            "working_hours" => ProcessingTimeKind.WorkingHours,
            "immediate" => ProcessingTimeKind.Immediate,
            _ => ProcessingTimeKind.Unknown,
        };
        if (kind is not (ProcessingTimeKind.Immediate or ProcessingTimeKind.Unknown) && amount <= 0)
        {
            kind = ProcessingTimeKind.Unknown;
        }

        return kind == ProcessingTimeKind.Unknown
            ? ProcessingTime.Unknown
            : new ProcessingTime(kind, amount, NotInRegistry.GetValueOrDefault(procedure.Code));
    }

    /// <summary>Only bounds: at most <see cref="MaxFormKeys"/> keys of printable ASCII, values of at most <see cref="MaxValueLength"/> characters.</summary>
    public static IReadOnlyList<FieldViolation> FormProblems(IReadOnlyDictionary<string, string> form)
    {
        var problems = new List<FieldViolation>();
        if (form.Count > MaxFormKeys)
        {
            problems.Add(new FieldViolation("form", $"A form has at most {MaxFormKeys} fields.", "FORM_TOO_LARGE"));
            return problems;
        }

        foreach (var (key, value) in form.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (key.Length is 0 or > MaxKeyLength || !key.All(c => c is > ' ' and < '\u007f'))
            {
                problems.Add(new FieldViolation("form", $"A field key is 1–{MaxKeyLength} printable ASCII characters.", "FORM_KEY_INVALID"));
            }
            else if (value.Length > MaxValueLength)
            {
                problems.Add(new FieldViolation($"form.{key}", $"At most {MaxValueLength} characters.", "FORM_VALUE_TOO_LONG"));
            }
        }

        return problems;
    }
}
