using System.Diagnostics;
using System.Text;
using GrpcDvc.Tests.Support;

namespace GrpcDvc.Tests.Scripts;

/// <summary>What a script printed and how it ended.</summary>
internal sealed record ScriptResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit code {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}

/// <summary>Runs one of the repository's scripts as a user types it: the file itself (its #! line and executable bit), from the repository root.</summary>
internal static class ShellScript
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static Task<ScriptResult> RunAsync(string relativePath, params string[] arguments)
        => ExecuteAsync(Path.Combine(RepoPaths.Root, relativePath), arguments);

    /// <summary>git in the repository; its output, or an exception when it fails.</summary>
    public static async Task<string> RunGitAsync(params string[] arguments)
    {
        var result = await ExecuteAsync("git", arguments);
        return result.ExitCode == 0 ? result.Output : throw new InvalidOperationException($"git {string.Join(' ', arguments)}: {result}");
    }

    private static async Task<ScriptResult> ExecuteAsync(string fileName, string[] arguments)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{fileName} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} ran longer than {Timeout}.");
        }

        return new ScriptResult(process.ExitCode, await output, await error);
    }
}
