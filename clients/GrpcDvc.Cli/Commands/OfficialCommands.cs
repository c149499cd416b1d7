using System.CommandLine;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Contracts.Identity.V1;

namespace GrpcDvc.Cli.Commands;

/// <summary>
/// <c>dvc official set-roles|disable|enable|reenrol</c>: an administrator's changes to an official of
/// their unit or a unit under it, named by account id (what CreateOfficial returned; <c>dvc whoami</c>
/// shows one's own). The server decides who may; each change goes to the sign-in audit.
/// </summary>
internal static class OfficialCommands
{
    private static readonly ProtoEnumNames<Role> Roles = new(PolicyReflection.Descriptor.EnumTypes.Single(e => e.Name == nameof(Role)), "ROLE_", "--role");

    public static Command Build(DvcCli cli) => new("official", "Administrators: change an official's roles, disable or enable them, re-enrol their TOTP.")
    {
        SetRoles(cli), Disable(cli), Enable(cli), Reenrol(cli),
    };

    private static Command SetRoles(DvcCli cli)
    {
        var id = OfficialId();
        var roles = new Option<Role[]>("--role")
        {
            Description = $"A role the official is to hold; repeat for each (the set replaces theirs): {string.Join(", ", Roles.Friendly.Where(r => r != "citizen"))}.",
            HelpName = "ROLE",
            Required = true,
            CustomParser = result => Roles.ParseAll(result),
        };
        var command = new Command("set-roles", "Replaces an official's roles; their sessions end, the new roles hold from their next sign-in.") { id, roles };
        cli.Handle(command, async (run, cancellationToken) =>
        {
            run.RequireCaller();
            var answer = await run.Connection.Identity.SetOfficialRolesAsync(
                new SetOfficialRolesRequest { OfficialId = run.Parsed.GetValue(id)!, Roles = { run.Parsed.GetValue(roles)! } }, cancellationToken: cancellationToken);
            Print(run, answer, answer.Official);
        });
        return command;
    }

    private static Command Disable(DvcCli cli)
    {
        var id = OfficialId();
        var command = new Command("disable", "Refuses an official's sign-ins and ends their sessions at once.") { id };
        cli.Handle(command, async (run, cancellationToken) =>
        {
            run.RequireCaller();
            var answer = await run.Connection.Identity.DisableOfficialAsync(new DisableOfficialRequest { OfficialId = run.Parsed.GetValue(id)! }, cancellationToken: cancellationToken);
            Print(run, answer, answer.Official);
        });
        return command;
    }

    private static Command Enable(DvcCli cli)
    {
        var id = OfficialId();
        var command = new Command("enable", "Lets a disabled official sign in again.") { id };
        cli.Handle(command, async (run, cancellationToken) =>
        {
            run.RequireCaller();
            var answer = await run.Connection.Identity.EnableOfficialAsync(new EnableOfficialRequest { OfficialId = run.Parsed.GetValue(id)! }, cancellationToken: cancellationToken);
            Print(run, answer, answer.Official);
        });
        return command;
    }

    private static Command Reenrol(DvcCli cli)
    {
        var id = OfficialId();
        var requestId = new Option<string?>("--request-id")
        {
            Description = "Repeat the id of a re-enrolment whose answer was lost to get the same URI back; a new id by default.",
            HelpName = "ID",
        };
        var command = new Command("reenrol", "Gives an official a new TOTP seed (lost phone): the old one stops working, their sessions end.") { id, requestId };
        cli.Handle(command, async (run, cancellationToken) =>
        {
            run.RequireCaller();
            var request = new ReenrolOfficialTotpRequest
            {
                OfficialId = run.Parsed.GetValue(id)!,
                ClientRequestId = run.Parsed.GetValue(requestId) ?? Guid.NewGuid().ToString("N"),
            };
            var answer = await run.Connection.Identity.ReenrolOfficialTotpAsync(request, cancellationToken: cancellationToken);
            if (!run.PrintedAsJson(answer))
            {
                run.Out.WriteLine($"New TOTP seed for {answer.OfficialId} (request {request.ClientRequestId}); give this URI to the official only:");
                run.Out.WriteLine(answer.TotpProvisioningUri);
            }
        });
        return command;
    }

    private static Argument<string> OfficialId() => new("OFFICIAL_ID") { Description = "The official's account id." };

    private static void Print(CommandRun run, Google.Protobuf.IMessage answer, OfficialAccount official)
    {
        if (!run.PrintedAsJson(answer))
        {
            var roles = string.Join(", ", official.Roles.Select(Roles.NameOf));
            run.Out.WriteLine($"{official.Username}  {official.FullName} (agency {official.AgencyCode}; {roles}; {(official.Disabled ? "disabled" : "enabled")}; account {official.AccountId})");
        }
    }
}
