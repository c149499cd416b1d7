using System.CommandLine;
using Grpc.Core;
using GrpcDvc.Cli.Commands;

namespace GrpcDvc.Cli;

/// <summary>
/// The <c>dvc</c> command tree on System.CommandLine, with the global options every command shares.
/// <see cref="RunAsync"/> is the whole tool: the process's Main calls it, and tests call it in-process.
/// </summary>
public sealed class DvcCli
{
    private DvcCli(CliEnvironment environment)
    {
        Environment = environment;
        Server = new Option<string>("--server")
        {
            Description = "The GrpcDvc gRPC endpoint (or env DVC_SERVER).",
            HelpName = "URL",
            Recursive = true,
            DefaultValueFactory = _ => string.IsNullOrWhiteSpace(environment.DefaultServer) ? ServerAddress.Default : environment.DefaultServer,
        };
        Json = new Option<bool>("--json") { Description = "Print the server's answer as JSON (the proto message).", Recursive = true };
        Insecure = new Option<bool>("--insecure")
        {
            Description = "Allow sending tokens over plain http:// to a non-loopback host (a trusted private network only).",
            Recursive = true,
        };
        Root = new RootCommand("dvc: the command-line client of GrpcDvc (online public services for residence and citizen ID).")
        {
            Server, Json, Insecure,
            ProceduresCommands.Build(this),
            SessionCommands.SignIn(this),
            SessionCommands.SignOut(this),
            SessionCommands.WhoAmI(this),
            CitizenCommands.Build(this),
            AccessLogCommand.Build(this),
            OfficialCommands.Build(this),
        };
    }

    public CliEnvironment Environment { get; }

    public RootCommand Root { get; }

    internal Option<string> Server { get; }

    internal Option<bool> Json { get; }

    internal Option<bool> Insecure { get; }

    public static async Task<int> RunAsync(string[] args, CliEnvironment environment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var cli = new DvcCli(environment);
        var parsed = cli.Root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await environment.Error.WriteLineAsync(error.Message);
            }

            await environment.Error.WriteLineAsync("Run 'dvc --help' for the commands and options.");
            return ExitCodes.Usage;
        }

        try
        {
            return await parsed.InvokeAsync(
                new InvocationConfiguration { Output = environment.Output, Error = environment.Error, EnableDefaultExceptionHandler = false },
                cancellationToken);
        }
        catch (UsageException ex)
        {
            await environment.Error.WriteLineAsync(ex.Message);
            return ExitCodes.Usage;
        }
        catch (NotSignedInException ex)
        {
            await environment.Error.WriteLineAsync(ex.Message);
            return ExitCodes.NotSignedIn;
        }
        catch (RpcException ex)
        {
            RpcErrorPrinter.Print(ex, environment.Error);
            return ExitCodes.ServerError;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or System.Text.Json.JsonException or Google.Protobuf.InvalidJsonException)
        {
            await environment.Error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.Failed;
        }
    }

    /// <summary>Gives <paramref name="command"/> an action that gets a connection to the chosen server.</summary>
    internal void Handle(Command command, Func<CommandRun, CancellationToken, Task> action)
        => command.SetAction(async (parsed, cancellationToken) =>
        {
            var server = ServerAddress.Parse(parsed.GetValue(Server)!, parsed.GetValue(Insecure), out var error)
                ?? throw new UsageException(error!);
            using var connection = new CliConnection(server, new SessionStore(Environment.ConfigDirectory));
            await action(new CommandRun(parsed, connection, Environment, parsed.GetValue(Json)), cancellationToken);
            return ExitCodes.Ok;
        });
}

/// <summary>The command line is wrong in a way the parser cannot see (exit code 2).</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>A command needs a session and there is none (exit code 4).</summary>
public sealed class NotSignedInException(string message) : Exception(message);
