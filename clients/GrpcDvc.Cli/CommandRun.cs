using System.CommandLine;
using Google.Protobuf;

namespace GrpcDvc.Cli;

/// <summary>One command being run: its parsed arguments, the connection, and where its answer goes.</summary>
internal sealed class CommandRun(ParseResult parsed, CliConnection connection, CliEnvironment environment, bool json)
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithIndentation());

    public ParseResult Parsed { get; } = parsed;

    public CliConnection Connection { get; } = connection;

    public CliEnvironment Environment { get; } = environment;

    public TextWriter Out => Environment.Output;

    /// <summary>With --json, the message as proto JSON and true; otherwise false and the caller prints text.</summary>
    public bool PrintedAsJson(IMessage message)
    {
        if (!json)
        {
            return false;
        }

        Out.WriteLine(Formatter.Format(message));
        return true;
    }

    /// <summary>The signed-in caller, or NotSignedIn with what to do.</summary>
    public GrpcDvc.Contracts.Identity.V1.Caller RequireCaller()
        => Connection.Caller ?? throw new NotSignedInException(
            $"Not signed in to {Connection.Server.Uri}. Sign in first: dvc signin --username … (--server {Connection.Server.Uri}).");
}
