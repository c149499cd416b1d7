using GrpcDvc.Contracts.Catalog.V1;
using GrpcDvc.Contracts.Common.V1;
using GrpcDvc.Server.Catalog.Forms;
using ContractFeeTerms = GrpcDvc.Contracts.Catalog.V1.FeeTerms;
using ContractFeeWaiver = GrpcDvc.Contracts.Catalog.V1.FeeWaiver;
using ContractFormField = GrpcDvc.Contracts.Catalog.V1.FormField;
using ContractProcessingTimeTerms = GrpcDvc.Contracts.Catalog.V1.ProcessingTimeTerms;
using ContractTermConflict = GrpcDvc.Contracts.Catalog.V1.TermConflict;

namespace GrpcDvc.Server.Catalog;

/// <summary>A procedure's form and dated terms ⇄ GetProcedureFormResponse. No rules here.</summary>
internal static class CatalogFormMapping
{
    public static GetProcedureFormResponse ToMessage(ProcedureForm form) => new()
    {
        Code = form.ProcedureCode,
        OnDate = ToDate(form.OnDate),
        OnlineForm = ToOnlineForm(form.Form, form.OnlineFormNote),
        ProcessingTime = ToTime(form.Time),
        Fees = ToFees(form.Fees),
    };

    public static Date? ToDate(DateOnly? date) => date is { } d ? new Date { Year = d.Year, Month = d.Month, Day = d.Day } : null;

    private static OnlineForm ToOnlineForm(FormDefinition? form, string? note)
    {
        if (form is null)
        {
            return new OnlineForm { Known = false, Note = CatalogMapping.Text(null, note) };
        }

        return new OnlineForm
        {
            Known = true,
            FormCode = form.Code,
            Name = CatalogMapping.Text(form.NameVi, form.NameEn),
            FieldsKnown = form.FieldsKnown,
            Fields = { form.Fields.Select(ToField) },
            Note = CatalogMapping.Text(null, string.Join(' ', new[] { note, form.NoteEn }.OfType<string>())),
            Sources = { form.Sources },
            StatutoryContent = form.IsStatutoryContent,
        };
    }

    private static ContractFormField ToField(Forms.FormField field)
    {
        var message = new ContractFormField
        {
            Key = field.Key,
            Label = CatalogMapping.Text(field.LabelVi, null),
            Type = field.Type switch
            {
                Forms.FormFieldType.Text => Contracts.Catalog.V1.FormFieldType.Text,
                Forms.FormFieldType.Date => Contracts.Catalog.V1.FormFieldType.Date,
                Forms.FormFieldType.IdNumber => Contracts.Catalog.V1.FormFieldType.IdNumber,
                Forms.FormFieldType.Phone => Contracts.Catalog.V1.FormFieldType.Phone,
                Forms.FormFieldType.Email => Contracts.Catalog.V1.FormFieldType.Email,
                Forms.FormFieldType.WholeNumber => Contracts.Catalog.V1.FormFieldType.Integer,
                Forms.FormFieldType.Choice => Contracts.Catalog.V1.FormFieldType.Choice,
                Forms.FormFieldType.Address => Contracts.Catalog.V1.FormFieldType.Address,
                _ => Contracts.Catalog.V1.FormFieldType.Unspecified,
            },
            Required = field.Required,
            MaxLength = field.MaxLength ?? 0,
            Choices = { field.Choices ?? [] },
        };
        if (field.Min is { } min)
        {
            message.Min = min;
        }

        if (field.Max is { } max)
        {
            message.Max = max;
        }

        return message;
    }

    private static ContractProcessingTimeTerms ToTime(Forms.ProcessingTimeTerms time) => new()
    {
        Kind = ToKind(time.Kind),
        Amount = (double)(time.Amount ?? 0m),
        ValidFrom = ToDate(time.ValidFrom),
        ValidTo = ToDate(time.ValidTo),
        Variants = { time.Variants.Select(v => new Contracts.Catalog.V1.ProcessingTimeVariant { Kind = ToKind(v.Kind), Amount = (double)(v.Amount ?? 0m), Condition = CatalogMapping.Text(null, v.ConditionEn) }) },
        Note = CatalogMapping.Text(null, time.NoteEn),
        Sources = { time.Sources },
        Conflict = ToConflict(time.Conflict),
    };

    private static ContractFeeTerms ToFees(Forms.FeeTerms fees) => new()
    {
        Known = fees.Known,
        InPerson = new Money { Vnd = fees.InPersonVnd ?? 0 },
        Online = new Money { Vnd = fees.OnlineVnd ?? 0 },
        Unit = fees.Unit switch
        {
            Forms.FeeUnit.PerDossier => Contracts.Catalog.V1.FeeUnit.PerDossier,
            Forms.FeeUnit.PerPerson => Contracts.Catalog.V1.FeeUnit.PerPerson,
            Forms.FeeUnit.PerInformationField => Contracts.Catalog.V1.FeeUnit.PerInformationField,
            _ => Contracts.Catalog.V1.FeeUnit.Unspecified,
        },
        ValidFrom = ToDate(fees.ValidFrom),
        ValidTo = ToDate(fees.ValidTo),
        Waivers = { fees.Waivers.Select(ToWaiver) },
        Note = CatalogMapping.Text(null, fees.NoteEn),
        Sources = { fees.Sources },
        Conflict = ToConflict(fees.Conflict),
    };

    private static ContractFeeWaiver ToWaiver(Forms.FeeWaiver waiver) => new()
    {
        Code = waiver.Code,
        Channel = waiver.Channel switch
        {
            Forms.FeeChannel.Any => Contracts.Catalog.V1.FeeChannel.Any,
            Forms.FeeChannel.Online => Contracts.Catalog.V1.FeeChannel.Online,
            Forms.FeeChannel.InPerson => Contracts.Catalog.V1.FeeChannel.InPerson,
            _ => Contracts.Catalog.V1.FeeChannel.Unspecified,
        },
        Amount = new Money { Vnd = waiver.AmountVnd },
        ValidFrom = ToDate(waiver.ValidFrom),
        ValidTo = ToDate(waiver.ValidTo),
        Condition = CatalogMapping.Text(null, waiver.ConditionEn),
        Sources = { waiver.Sources },
    };

    private static ContractTermConflict? ToConflict(Forms.TermConflict? conflict) => conflict is null ? null : new ContractTermConflict
    {
        Note = CatalogMapping.Text(null, conflict.NoteEn),
        Alternatives = { conflict.Alternatives.Select(a => new Contracts.Catalog.V1.TermAlternative { Value = a.ValueEn, Source = a.Source }) },
    };

    private static Contracts.Catalog.V1.ProcessingTimeKind ToKind(Forms.ProcessingTimeKind kind) => kind switch
    {
        Forms.ProcessingTimeKind.Unknown => Contracts.Catalog.V1.ProcessingTimeKind.Unknown,
        Forms.ProcessingTimeKind.WorkingDays => Contracts.Catalog.V1.ProcessingTimeKind.WorkingDays,
        Forms.ProcessingTimeKind.CalendarDays => Contracts.Catalog.V1.ProcessingTimeKind.CalendarDays,
        Forms.ProcessingTimeKind.Hours => Contracts.Catalog.V1.ProcessingTimeKind.Hours,
        Forms.ProcessingTimeKind.Immediate => Contracts.Catalog.V1.ProcessingTimeKind.Immediate,
        _ => Contracts.Catalog.V1.ProcessingTimeKind.Unspecified,
    };
}
