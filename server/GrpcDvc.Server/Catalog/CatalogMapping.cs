using System.Text.Json;
using GrpcDvc.Contracts.Catalog.V1;
using GrpcDvc.Contracts.Common.V1;
using ProcessingTimeKind = GrpcDvc.Server.Catalog.Forms.ProcessingTimeKind;

namespace GrpcDvc.Server.Catalog;

/// <summary>Stored catalog entries ⇄ the contract's messages. No rules here.</summary>
internal static class CatalogMapping
{
    public static string? FieldCode(ProcedureField field) => field switch
    {
        ProcedureField.Residence => "residence",
        ProcedureField.Identity => "identity",
        ProcedureField.SecurityConditionalBusiness => "security_conditional_business",
        ProcedureField.Seals => "seals",
        _ => null,
    };

    /// <summary>The entry with the processing time and fees in force on <paramref name="today"/>.</summary>
    public static Procedure ToMessage(ProcedureRecord record, IReadOnlyDictionary<string, AgencyLevelRecord> levels, DateOnly today)
    {
        var data = JsonSerializer.Deserialize<ProcedureData>(record.DetailsJson, CatalogData.Json)
            ?? throw new InvalidDataException($"Procedure {record.Code} has no details.");
        var message = new Procedure
        {
            Code = record.Code,
            Name = Text(record.NameVi, record.NameEn),
            ServiceLevel = (ServiceLevel)record.ServiceLevel,
            Field = ToField(record.Field),
            ProcessingTime = TimeOf(record, today),
            Fees = FeesOf(record, today),
            RequiredDocumentsKnown = data.RequiredDocumentsKnown,
            ResultDocument = new ResultDocument
            {
                Known = data.ResultDocument.Known,
                FormCode = data.ResultDocument.FormCode ?? string.Empty,
                Name = Text(data.ResultDocument.NameVi, data.ResultDocument.NameEn),
            },
            IntakeDays = new IntakeDays
            {
                Known = data.IntakeDays.Known,
                SaturdayMorning = data.IntakeDays.SaturdayMorning,
                FullDays = { (data.IntakeDays.FullDays ?? []).Select(ToWeekday) },
            },
            Forms = { data.Forms },
            Sources = { data.Sources },
            ResultDelivery = { data.ResultDelivery.Select(ToDelivery) },
            RequiredDocuments =
            {
                data.RequiredDocuments.Select(d => new DocumentRequirement { Name = Text(d.NameVi, d.NameEn), FormCode = d.FormCode ?? string.Empty }),
            },
        };

        foreach (var link in record.AgencyLevels.OrderBy(l => levels.GetValueOrDefault(l.AgencyLevelCode)?.Rank))
        {
            if (levels.TryGetValue(link.AgencyLevelCode, out var level))
            {
                message.AgencyLevels.Add(new AgencyLevel { Code = level.Code, Name = Text(level.NameVi, level.NameEn), Rank = level.Rank });
            }
        }

        return message;
    }

    /// <summary>The data file's spelling of a processing-time kind (the first schema's unit column).</summary>
    public static string UnitName(ProcessingTimeKind kind) => kind switch
    {
        ProcessingTimeKind.WorkingDays => "working_days",
        ProcessingTimeKind.CalendarDays => "calendar_days",
        ProcessingTimeKind.Hours => "hours",
        ProcessingTimeKind.Immediate => "immediate",
        _ => "unknown",
    };

    private static ProcessingTime TimeOf(ProcedureRecord record, DateOnly today)
    {
        if (record.TermsJson is null)
        {
            return new ProcessingTime
            {
                Known = record.ProcessingTimeKnown,
                Unit = ToUnit(record.ProcessingTimeUnit),
                Amount = (double)(record.ProcessingTimeAmount ?? 0m),
                Note = Text(null, null),
            };
        }

        var time = ProcedureTermsData.Parse(record.TermsJson).TimeOn(today);
        return new ProcessingTime
        {
            Known = time.Known,
            Unit = ToUnit(time.Known ? UnitName(time.Kind) : null),
            Amount = (double)(time.Amount ?? 0m),
            Note = Text(null, string.Join(' ', new[] { time.NoteEn }.Concat(time.Variants.Select(v => $"{v.ConditionEn} {v.Amount} {UnitName(v.Kind).Replace('_', ' ')}.")).OfType<string>())),
        };
    }

    private static Fees FeesOf(ProcedureRecord record, DateOnly today)
    {
        if (record.TermsJson is null)
        {
            return new Fees
            {
                Known = record.FeesKnown,
                InPerson = new Money { Vnd = record.FeeInPersonVnd ?? 0 },
                Online = new Money { Vnd = record.FeeOnlineVnd ?? 0 },
                Note = Text(null, null),
            };
        }

        var fees = ProcedureTermsData.Parse(record.TermsJson).FeesOn(today);
        return new Fees
        {
            Known = fees.Known,
            InPerson = new Money { Vnd = fees.InPersonVnd ?? 0 },
            Online = new Money { Vnd = fees.OnlineVnd ?? 0 },
            Note = Text(null, string.Join(' ', new[] { fees.NoteEn }.Concat(fees.Waivers.Select(w => $"{w.ConditionEn} (VND {w.AmountVnd}).")).OfType<string>())),
        };
    }

    internal static LocalizedText Text(string? vi, string? en) => new() { Vi = vi ?? string.Empty, En = en ?? string.Empty };

    private static ProcedureField ToField(string field) => field switch
    {
        "residence" => ProcedureField.Residence,
        "identity" => ProcedureField.Identity,
        "security_conditional_business" => ProcedureField.SecurityConditionalBusiness,
        "seals" => ProcedureField.Seals,
        _ => ProcedureField.Unspecified,
    };

    private static TimeUnit ToUnit(string? unit) => unit switch
    {
        "working_days" => TimeUnit.WorkingDays,
        "calendar_days" => TimeUnit.CalendarDays,
        "immediate" => TimeUnit.Immediate,
        "hours" => TimeUnit.Hours,
        _ => TimeUnit.Unspecified,
    };

    private static ResultDelivery ToDelivery(string delivery) => delivery switch
    {
        "electronic" => ResultDelivery.Electronic,
        "postal" => ResultDelivery.Postal,
        "in_person" => ResultDelivery.InPerson,
        _ => ResultDelivery.Unspecified,
    };

    private static Weekday ToWeekday(string day) => Enum.TryParse<Weekday>(day, ignoreCase: true, out var weekday) ? weekday : Weekday.Unspecified;
}
