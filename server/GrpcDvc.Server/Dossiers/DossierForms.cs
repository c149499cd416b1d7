using GrpcDvc.Server.Catalog.Forms;
using GrpcDvc.Server.Dossiers.Processing.Registry;
using GrpcDvc.Server.Errors;
using CatalogKind = GrpcDvc.Server.Catalog.Forms.ProcessingTimeKind;

namespace GrpcDvc.Server.Dossiers;

/// <summary>
/// A dossier's form judged by the catalog's form of its procedure (forms as data): at submission and
/// at a supplement, with the processing time in force on the day. The paper CT01 carries the address
/// and the period of a residence change inside its free-text item "Nội dung đề nghị"; the registry
/// effects need them as values, so the online form of the procedures with an effect asks them as
/// fields of their own (<see cref="ResidenceFormKeys"/>), declared here next to the effects that read
/// them rather than in the catalog's copy of the law's form.
/// </summary>
public sealed class DossierForms(IProcedureForms forms)
{
    /// <summary>The procedures whose time depends on whether everyone is in the population database; the catalog's first variant is the "not in it" time.</summary>
    private static readonly HashSet<string> TimeDependsOnRegistry = new(StringComparer.Ordinal) { "BCA-L4-08", "BCA-L4-09" };

    private static readonly Dictionary<string, FormField[]> OnlineFields = new(StringComparer.Ordinal)
    {
        ["BCA-L4-01"] = [Commune(), Detail(required: true), From()],
        ["BCA-L4-02"] = [From()],
        ["BCA-L4-03"] = [Commune(), Detail(required: true), From(), To(required: false)],
        ["BCA-L4-04"] = [To(required: true)],
        ["BCA-L4-05"] = [From()],
        ["BCA-L4-06"] = [new FormField(ResidenceFormKeys.NewHeadIdNumber, "Số định danh cá nhân của chủ hộ mới", FormFieldType.IdNumber, false), From()],
        ["BCA-L4-07"] =
        [
            new FormField(ResidenceFormKeys.Adjustment, "Thông tin đề nghị điều chỉnh", FormFieldType.Choice, true,
                Choices: [ResidenceDataAdjusted.NewHead, ResidenceDataAdjusted.RenamedAddress]),
            // CT01's own household_head_id_number names the new head; the renamed address needs its new wording.
            new FormField(ResidenceFormKeys.HouseholdHeadIdNumber, "Số định danh cá nhân của chủ hộ mới", FormFieldType.IdNumber, false)
            {
                RequiredWhen = new(ResidenceFormKeys.Adjustment, ResidenceDataAdjusted.NewHead),
            },
            Commune(),
            Detail(required: false) with { RequiredWhen = new(ResidenceFormKeys.Adjustment, ResidenceDataAdjusted.RenamedAddress) },
        ],
        ["BCA-L4-08"] = [Commune(), Detail(required: true)],
    };

    /// <summary>Null when the catalog has no such procedure.</summary>
    public async Task<(IReadOnlyList<FieldViolation> Problems, ProcedureForm Terms)?> JudgeAsync(
        string procedureCode, DateOnly onDate, IReadOnlyDictionary<string, string> form, CancellationToken cancellationToken)
    {
        if (await forms.FindForProcedureAsync(procedureCode, onDate, cancellationToken) is not { } terms)
        {
            return null;
        }

        var definition = terms.Form is { } known
            ? WithOnlineFields(procedureCode, known)
            : new FormDefinition("-", "-", FieldsKnown: false, []);
        var problems = FormValidator.Validate(definition, form)
            .Select(p => new FieldViolation(p.FieldKey.Length == 0 ? "form" : $"form.{p.FieldKey}", p.Description, p.Reason))
            .ToList();
        return (problems, terms);
    }

    /// <summary>The catalog's time in the submission's terms (the registry-dependent second time included).</summary>
    public static Submission.ProcessingTime TimeOf(string procedureCode, ProcessingTimeTerms time)
    {
        var first = Convert(time.Kind, time.Amount);
        if (first is null)
        {
            return Submission.ProcessingTime.Unknown;
        }

        var second = TimeDependsOnRegistry.Contains(procedureCode) && time.Variants.Count > 0
            ? Convert(time.Variants[0].Kind, time.Variants[0].Amount)
            : null;
        return first with { WhenNotInRegistry = second };
    }

    private static Submission.ProcessingTime? Convert(CatalogKind kind, decimal? amount) => kind switch
    {
        CatalogKind.WorkingDays when amount > 0 => new(Submission.ProcessingTimeKind.WorkingDays, amount.Value),
        CatalogKind.CalendarDays when amount > 0 => new(Submission.ProcessingTimeKind.CalendarDays, amount.Value),
        CatalogKind.Hours when amount > 0 => new(Submission.ProcessingTimeKind.WorkingHours, amount.Value),
        CatalogKind.Immediate => new(Submission.ProcessingTimeKind.Immediate, 0),
        _ => null,
    };

    /// <summary>The catalog's form with the procedure's online fields; one of the same key as a form item takes its place (adds a condition to it).</summary>
    private static FormDefinition WithOnlineFields(string procedureCode, FormDefinition form)
        => form.FieldsKnown && OnlineFields.TryGetValue(procedureCode, out var extra)
            ? form with { Fields = [.. form.Fields.Where(f => !extra.Any(e => e.Key == f.Key)), .. extra] }
            : form;

    private static FormField Commune() => new(ResidenceFormKeys.AddressCommuneCode, "Mã xã, phường nơi cư trú (mặc định: xã của hồ sơ)", FormFieldType.Text, false, MaxLength: 32);

    private static FormField Detail(bool required) => new(ResidenceFormKeys.AddressDetail, "Địa chỉ chi tiết (số nhà, đường, thôn, tổ dân phố)", FormFieldType.Text, required, MaxLength: 300);

    private static FormField From() => new(ResidenceFormKeys.FromDate, "Từ ngày", FormFieldType.Date, false);

    private static FormField To(bool required) => new(ResidenceFormKeys.ToDate, "Đến ngày", FormFieldType.Date, required);
}
