using System.CommandLine;
using System.Globalization;
using GrpcDvc.Contracts.Catalog.V1;
using GrpcDvc.Contracts.Common.V1;

namespace GrpcDvc.Cli.Commands;

/// <summary><c>dvc procedures list|show</c>: the public catalog of online procedures (no sign-in needed).</summary>
internal static class ProceduresCommands
{
    private static readonly ProtoEnumNames<ProcedureField> Fields = new(CatalogReflection.Descriptor.EnumTypes.Single(e => e.Name == nameof(ProcedureField)), "PROCEDURE_FIELD_", "--field");

    public static Command Build(DvcCli cli) => new("procedures", "The catalog of online public services.") { List(cli), Show(cli) };

    private static Command List(DvcCli cli)
    {
        var level = new Option<int?>("--level") { Description = "Service level: 3 or 4.", HelpName = "3|4" };
        level.AcceptOnlyFromAmong("3", "4");
        var field = new Option<ProcedureField?>("--field")
        {
            Description = $"Field: {string.Join(", ", Fields.Friendly)}.",
            HelpName = "FIELD",
            CustomParser = result => Fields.Parse(result),
        };
        var text = new Option<string?>("--text") { Description = "Words in the name; diacritics and case are ignored (\"dang ky tam tru\")." };
        var pageSize = new Option<int>("--page-size") { Description = "Procedures per page (server default 50, at most 500).", DefaultValueFactory = _ => 50 };
        pageSize.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 500)
            {
                result.AddError("--page-size: from 1 to 500.");
            }
        });
        var pageToken = new Option<string?>("--page-token") { Description = "The next_page_token a previous page printed." };
        var command = new Command("list", "Lists procedures matching every filter given, by catalog code.") { level, field, text, pageSize, pageToken };
        cli.Handle(command, async (run, cancellationToken) =>
        {
            var request = new ListProceduresRequest
            {
                ServiceLevel = (ServiceLevel)(run.Parsed.GetValue(level) ?? 0),
                Field = run.Parsed.GetValue(field) ?? ProcedureField.Unspecified,
                Text = run.Parsed.GetValue(text) ?? string.Empty,
                Page = new PageRequest { PageSize = run.Parsed.GetValue(pageSize), PageToken = run.Parsed.GetValue(pageToken) ?? string.Empty },
            };
            var page = await run.Connection.Catalog.ListProceduresAsync(request, cancellationToken: cancellationToken);
            if (run.PrintedAsJson(page))
            {
                return;
            }

            foreach (var procedure in page.Procedures)
            {
                run.Out.WriteLine($"{procedure.Code,-12} L{(int)procedure.ServiceLevel}  {Fields.NameOf(procedure.Field),-12} {procedure.Name.Vi}");
            }

            run.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{page.Procedures.Count} of {page.Page.TotalSize} procedures")
                + (page.Page.NextPageToken.Length > 0 ? $"; next page: --page-token {page.Page.NextPageToken}" : string.Empty));
        });
        return command;
    }

    private static Command Show(DvcCli cli)
    {
        var code = new Argument<string>("CODE") { Description = "The catalog code, e.g. BCA-L4-03." };
        var command = new Command("show", "One procedure in full.") { code };
        cli.Handle(command, async (run, cancellationToken) =>
        {
            var answer = await run.Connection.Catalog.GetProcedureAsync(new GetProcedureRequest { Code = run.Parsed.GetValue(code)! }, cancellationToken: cancellationToken);
            if (run.PrintedAsJson(answer))
            {
                return;
            }

            var p = answer.Procedure;
            var o = run.Out;
            o.WriteLine($"{p.Code}  {p.Name.Vi}");
            if (p.Name.En.Length > 0)
            {
                o.WriteLine($"  ({p.Name.En})");
            }

            o.WriteLine($"  level {(int)p.ServiceLevel}, field {Fields.NameOf(p.Field)}");
            o.WriteLine($"  handled by: {string.Join(", ", p.AgencyLevels.Select(a => a.Name.Vi))}");
            o.WriteLine(p.ProcessingTime.Known
                ? string.Create(CultureInfo.InvariantCulture, $"  processing time: {p.ProcessingTime.Amount:0.#} {p.ProcessingTime.Unit}")
                : "  processing time: not stated by the sources");
            if (p.Fees.Known)
            {
                o.WriteLine($"  fee: {Money(p.Fees.InPerson)} in person, {Money(p.Fees.Online)} online");
            }

            if (p.Forms.Count > 0)
            {
                o.WriteLine($"  forms: {string.Join(", ", p.Forms)}");
            }

            foreach (var document in p.RequiredDocuments)
            {
                o.WriteLine($"  - {document.Name.Vi}{(document.FormCode.Length > 0 ? $" ({document.FormCode})" : string.Empty)}");
            }
        });
        return command;
    }

    private static string Money(Money? money) => money is null ? "–" : string.Create(CultureInfo.InvariantCulture, $"{money.Vnd:N0} VND");
}
