using System.CommandLine;
using Google.Protobuf.WellKnownTypes;
using GrpcDvc.Contracts.Audit.V1;
using GrpcDvc.Contracts.Common.V1;
using GrpcDvc.Contracts.Identity.V1;
using GrpcDvc.Contracts.Population.V1;

namespace GrpcDvc.Cli.Commands;

/// <summary>
/// <c>dvc access-log</c>: who read citizens' data. A citizen sees the reads of their own data
/// (PopulationService.ListMyDataAccesses); an auditor queries the log of their agency's units
/// (AuditService.QueryDataAccesses, with filters); for other officials the server refuses it.
/// </summary>
internal static class AccessLogCommand
{
    public static Command Build(DvcCli cli)
    {
        var subject = new Option<string?>("--subject") { Description = "Auditors: only reads of this personal ID number." };
        var accessor = new Option<string?>("--accessor") { Description = "Auditors: only reads by this account id." };
        var purpose = new Option<AccessPurpose?>("--purpose")
        {
            Description = $"Auditors: only reads for this purpose ({string.Join(", ", CitizenCommands.Purposes.Friendly)}).",
            HelpName = "PURPOSE",
            CustomParser = result => CitizenCommands.Purposes.Parse(result),
        };
        var pageSize = new Option<int>("--page-size") { Description = "Entries per page (at most 500).", DefaultValueFactory = _ => 50 };
        var pageToken = new Option<string?>("--page-token") { Description = "The next_page_token a previous page printed." };
        var command = new Command("access-log", "The data-access log: your own (citizen) or your agency's (auditor).")
        {
            subject, accessor, purpose, pageSize, pageToken,
        };
        cli.Handle(command, async (run, cancellationToken) =>
        {
            var caller = run.RequireCaller();
            var page = new PageRequest { PageSize = run.Parsed.GetValue(pageSize), PageToken = run.Parsed.GetValue(pageToken) ?? string.Empty };
            if (caller.Kind == Caller.Types.Kind.Citizen)
            {
                var mine = await run.Connection.Population.ListMyDataAccessesAsync(new ListMyDataAccessesRequest { Page = page }, cancellationToken: cancellationToken);
                if (!run.PrintedAsJson(mine))
                {
                    foreach (var a in mine.Accesses)
                    {
                        run.Out.WriteLine($"{Time(a.At)}  {a.AccessorName} ({a.AccessorRole}, {a.AgencyName}) {Purpose(a.Purpose)} {a.Reference} [{string.Join(", ", a.Fields)}]");
                    }

                    Footer(run, mine.Accesses.Count, mine.Page);
                }

                return;
            }

            // Any other official asks the audit log too: the server decides (auditors only, within their agency's units).
            var entries = await run.Connection.Audit.QueryDataAccessesAsync(new QueryDataAccessesRequest
            {
                SubjectIdNumber = run.Parsed.GetValue(subject) ?? string.Empty,
                AccessorAccountId = run.Parsed.GetValue(accessor) ?? string.Empty,
                Purpose = run.Parsed.GetValue(purpose) ?? AccessPurpose.Unspecified,
                Page = page,
            }, cancellationToken: cancellationToken);
            if (!run.PrintedAsJson(entries))
            {
                foreach (var e in entries.Entries)
                {
                    run.Out.WriteLine($"{Time(e.At)}  {e.SubjectIdNumber}  {e.AccessorName} ({e.AccessorRole}, {e.AgencyCode}) {Purpose(e.Purpose)} {e.Reference} {e.Rpc} [{string.Join(", ", e.Fields)}]");
                }

                Footer(run, entries.Entries.Count, entries.Page);
            }
        });
        return command;
    }

    private static string Time(Timestamp? at) => at?.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) ?? "-";

    private static string Purpose(AccessPurpose purpose) => CitizenCommands.Purposes.NameOf(purpose);

    private static void Footer(CommandRun run, int count, PageInfo? page)
        => run.Out.WriteLine($"{count} of {page?.TotalSize ?? count} entries"
            + (page is { NextPageToken.Length: > 0 } ? $"; next page: --page-token {page.NextPageToken}" : string.Empty));
}
