using System.CommandLine;
using GrpcDvc.Contracts.Population.V1;

namespace GrpcDvc.Cli.Commands;

/// <summary><c>dvc citizen lookup</c>: one citizen by personal ID number, for a stated purpose (written to the access log).</summary>
internal static class CitizenCommands
{
    internal static readonly ProtoEnumNames<AccessPurpose> Purposes = new(PopulationReflection.Descriptor.EnumTypes.Single(e => e.Name == nameof(AccessPurpose)), "ACCESS_PURPOSE_", "--purpose");

    public static Command Build(DvcCli cli) => new("citizen", "The national population registry.") { Lookup(cli) };

    private static Command Lookup(DvcCli cli)
    {
        var idNumber = new Argument<string>("ID_NUMBER") { Description = "The 12-digit personal ID number." };
        var purpose = new Option<AccessPurpose>("--purpose")
        {
            Description = $"Why the record is read (logged; decides which fields come back): {string.Join(", ", Purposes.Friendly)}.",
            HelpName = "PURPOSE",
            Required = true,
            CustomParser = result => Purposes.Parse(result),
        };
        var reference = new Option<string?>("--reference") { Description = "The dossier code or request number the read serves." };
        var legalBasis = new Option<string?>("--legal-basis") { Description = "The legal text allowing the read, when the purpose needs one." };
        var command = new Command("lookup", "Looks a citizen up by personal ID number, as an official within their agency's scope.")
        {
            idNumber, purpose, reference, legalBasis,
        };
        cli.Handle(command, async (run, cancellationToken) =>
        {
            run.RequireCaller();
            var answer = await run.Connection.Population.LookupCitizenAsync(new LookupCitizenRequest
            {
                IdNumber = run.Parsed.GetValue(idNumber)!,
                Access = new AccessContext
                {
                    Purpose = run.Parsed.GetValue(purpose),
                    Reference = run.Parsed.GetValue(reference) ?? string.Empty,
                    LegalBasis = run.Parsed.GetValue(legalBasis) ?? string.Empty,
                },
            }, cancellationToken: cancellationToken);
            if (!run.PrintedAsJson(answer))
            {
                Print(answer, run.Out);
            }
        });
        return command;
    }

    private static void Print(LookupCitizenResponse answer, TextWriter o)
    {
        var c = answer.Citizen;
        o.WriteLine($"{c.IdNumber}  {c.FullName}");
        if (c.BirthDate is { } born)
        {
            o.WriteLine($"  born      {born.Year:D4}{(born.Month > 0 ? $"-{born.Month:D2}" : string.Empty)}{(born.Day > 0 ? $"-{born.Day:D2}" : string.Empty)}");
        }

        Line(o, "gender", c.Gender == Gender.Unspecified ? string.Empty : c.Gender.ToString());
        Line(o, "status", c.Status == CitizenStatus.Unspecified ? string.Empty : c.Status.ToString());
        Line(o, "ethnicity", c.Ethnicity);
        Line(o, "permanent", Address(c.PermanentResidence));
        Line(o, "temporary", Address(c.TemporaryResidence));
        Line(o, "current", Address(c.CurrentResidence));
        foreach (var document in c.Documents)
        {
            Line(o, "document", $"{document.Kind} {document.Number} {document.Status}");
        }

        o.WriteLine($"  fields returned: {string.Join(", ", answer.FieldsReturned)}");
    }

    private static void Line(TextWriter o, string label, string value)
    {
        if (value.Length > 0)
        {
            o.WriteLine($"  {label,-9} {value}");
        }
    }

    private static string Address(Address? a)
        => a is null ? string.Empty : string.Join(", ", new[] { a.Detail, a.CurrentCommuneName.Length > 0 ? a.CurrentCommuneName : a.CommuneName,
            a.CurrentProvinceName.Length > 0 ? a.CurrentProvinceName : a.ProvinceName }.Where(part => part.Length > 0));
}
