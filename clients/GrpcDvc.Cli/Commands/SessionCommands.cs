using System.CommandLine;
using GrpcDvc.Contracts.Identity.V1;

namespace GrpcDvc.Cli.Commands;

/// <summary><c>dvc signin|signout|whoami</c>: an official's session, kept in session.json between runs.</summary>
internal static class SessionCommands
{
    public static Command SignIn(DvcCli cli)
    {
        var username = new Option<string>("--username") { Description = "The official's username.", Required = true };
        var password = new Option<string?>("--password") { Description = "The password; asked for (not echoed) when omitted." };
        var totp = new Option<string?>("--totp") { Description = "The 6-digit code from the authenticator app.", HelpName = "CODE" };
        var totpSecret = new Option<string?>("--totp-secret")
        {
            Description = "The base32 TOTP seed, to compute the code here (the published seed of the development demo officials).",
            HelpName = "BASE32",
        };
        var command = new Command("signin", "Signs in as an official (password and TOTP) and keeps the session for the next commands.")
        {
            username, password, totp, totpSecret,
        };
        command.Validators.Add(result =>
        {
            var code = result.GetValue(totp);
            var secret = result.GetValue(totpSecret);
            if ((code is null) == (secret is null))
            {
                result.AddError("Give either --totp CODE or --totp-secret BASE32.");
            }
            else if (secret is not null && !TotpCodes.IsBase32(secret))
            {
                result.AddError("--totp-secret: not a base32 seed (letters A-Z and digits 2-7).");
            }
        });
        cli.Handle(command, async (run, cancellationToken) =>
        {
            var name = run.Parsed.GetValue(username)!;
            var secret = run.Parsed.GetValue(password) ?? run.Environment.PromptSecret($"Password for {name}: ")
                ?? throw new UsageException("--password is required when there is no terminal to ask on.");
            var code = run.Parsed.GetValue(totp) ?? TotpCodes.Now(run.Parsed.GetValue(totpSecret)!, run.Environment.Time);
            var tokens = await run.Connection.AnonymousIdentity.SignInOfficialAsync(
                new SignInOfficialRequest { Username = name, Password = secret, TotpCode = code }, cancellationToken: cancellationToken);
            run.Connection.Session.Accept(tokens); // saved by the connection
            if (!run.PrintedAsJson(tokens.Caller))
            {
                run.Out.WriteLine($"Signed in to {run.Connection.Server.Uri} as {Describe(tokens.Caller)}.");
                run.Out.WriteLine($"Session saved in {run.Connection.Store.FilePath}.");
            }
        });
        return command;
    }

    public static Command SignOut(DvcCli cli)
    {
        var command = new Command("signout", "Ends the session on the server and forgets it here.");
        cli.Handle(command, async (run, cancellationToken) =>
        {
            var had = run.Connection.Caller is not null;
            try
            {
                await run.Connection.Session.SignOutAsync(cancellationToken);
            }
            finally
            {
                // Forgotten here even if the server cannot be reached: the user asked to be signed out.
                run.Connection.Store.Delete();
            }

            run.Out.WriteLine(had ? "Signed out." : "Not signed in.");
        });
        return command;
    }

    public static Command WhoAmI(DvcCli cli)
    {
        var command = new Command("whoami", "Who the saved session is, as the server sees it now.");
        cli.Handle(command, async (run, cancellationToken) =>
        {
            run.RequireCaller();
            var answer = await run.Connection.Identity.WhoAmIAsync(new WhoAmIRequest(), cancellationToken: cancellationToken);
            if (!run.PrintedAsJson(answer))
            {
                run.Out.WriteLine(Describe(answer.Caller));
            }
        });
        return command;
    }

    internal static string Describe(Caller caller)
    {
        var roles = string.Join(", ", caller.Roles.Select(r => r.ToString()));
        return caller.Kind == Caller.Types.Kind.Official
            ? $"{caller.DisplayName} (official, {roles}; agency {caller.AgencyCode}; account {caller.AccountId})"
            : $"{caller.DisplayName} (citizen {caller.IdNumber}; account {caller.AccountId})";
    }
}
