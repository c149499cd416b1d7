using System.Text.Json.Nodes;
using Google.Protobuf;
using GrpcDvc.Contracts.Identity.V1;

namespace GrpcDvc.Cli;

/// <summary>A saved sign-in: the server it belongs to and the tokens it answered with.</summary>
public sealed record SavedSession(Uri Server, TokenResponse Tokens);

/// <summary>
/// session.json in the config folder. The refresh token in it is as good as the password and TOTP
/// code for up to the session's lifetime, so the file is created 0600 in a 0700 folder (owner only),
/// and written whole to a new file then renamed, so a crash never leaves half a session behind.
/// </summary>
public sealed class SessionStore(string directory)
{
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerFolder = OwnerFile | UnixFileMode.UserExecute;

    public string FilePath { get; } = Path.Combine(directory, "session.json");

    public SavedSession? Load()
    {
        if (!File.Exists(FilePath))
        {
            return null;
        }

        var node = JsonNode.Parse(File.ReadAllText(FilePath))
            ?? throw new InvalidDataException($"{FilePath} is not a dvc session file.");
        var server = node["server"]?.GetValue<string>() ?? throw new InvalidDataException($"{FilePath} names no server.");
        var tokens = JsonParser.Default.Parse<TokenResponse>(node["tokens"]?.ToJsonString() ?? "{}");
        return new SavedSession(new Uri(server), tokens);
    }

    public void Save(SavedSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, OwnerFolder);
        }

        var json = new JsonObject
        {
            ["server"] = session.Server.ToString(),
            ["tokens"] = JsonNode.Parse(JsonFormatter.Default.Format(session.Tokens)),
        };
        var temporary = $"{FilePath}.{Environment.ProcessId}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerFile;
        }

        using (var writer = new StreamWriter(temporary, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), options))
        {
            writer.Write(json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        }

        File.Move(temporary, FilePath, overwrite: true);
    }

    public bool Delete()
    {
        var existed = File.Exists(FilePath);
        File.Delete(FilePath);
        return existed;
    }
}
