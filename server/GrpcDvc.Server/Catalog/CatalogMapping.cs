using System.Text.Json;
using GrpcDvc.Contracts.Catalog.V1;
using GrpcDvc.Contracts.Common.V1;

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

    public static Procedure ToMessage(ProcedureRecord record, IReadOnlyDictionary<string, AgencyLevelRecord> levels)
    {
        var data = JsonSerializer.Deserialize<ProcedureData>(record.DetailsJson, CatalogData.Json)
            ?? throw new InvalidDataException($"Procedure {record.Code} has no details.");
        var message = new Procedure
        {
            Code = record.Code,
            Name = Text(record.NameVi, record.NameEn),
            ServiceLevel = (ServiceLevel)record.ServiceLevel,
            Field = ToField(record.Field),
            ProcessingTime = new ProcessingTime
            {
                Known = record.ProcessingTimeKnown,
                Unit = ToUnit(record.ProcessingTimeUnit),
                Amount = (double)(record.ProcessingTimeAmount ?? 0m),
                Note = Text(data.ProcessingTime.NoteVi, data.ProcessingTime.NoteEn),
            },
            Fees = new Fees
            {
                Known = record.FeesKnown,
                InPerson = new Money { Vnd = record.FeeInPersonVnd ?? 0 },
                Online = new Money { Vnd = record.FeeOnlineVnd ?? 0 },
                Note = Text(data.Fees.NoteVi, data.Fees.NoteEn),
            },
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

    private static LocalizedText Text(string? vi, string? en) => new() { Vi = vi ?? string.Empty, En = en ?? string.Empty };

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
