namespace GrpcDvc.Cli;

/// <summary>
/// What the tool reads from and writes to outside its arguments: the console, the environment and
/// where the session file lives. The process supplies the real ones; tests run the same command
/// tree in-process with their own writers and a temporary config folder.
/// </summary>
public sealed class CliEnvironment
{
    public required TextWriter Output { get; init; }

    public required TextWriter Error { get; init; }

    /// <summary>The folder holding session.json (created 0700 on first sign-in).</summary>
    public required string ConfigDirectory { get; init; }

    /// <summary>DVC_SERVER, or null.</summary>
    public string? DefaultServer { get; init; }

    /// <summary>Reads a password when --password is not given; null when there is no one to ask.</summary>
    public Func<string, string?> PromptSecret { get; init; } = _ => null;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public static CliEnvironment FromProcess() => new()
    {
        Output = Console.Out,
        Error = Console.Error,
        ConfigDirectory = DefaultConfigDirectory(),
        DefaultServer = Environment.GetEnvironmentVariable("DVC_SERVER"),
        PromptSecret = ConsolePrompt.ReadSecret,
    };

    /// <summary>$XDG_CONFIG_HOME/grpcdvc, else ~/.config/grpcdvc (on Windows %APPDATA%\grpcdvc).</summary>
    public static string DefaultConfigDirectory()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        var root = !string.IsNullOrEmpty(xdg) ? xdg
            : OperatingSystem.IsWindows() ? Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return Path.Combine(root, "grpcdvc");
    }
}
