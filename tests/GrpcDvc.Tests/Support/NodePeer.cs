using System.Diagnostics;
using System.Text.Json;

namespace GrpcDvc.Tests.Support;

/// <summary>
/// Runs tests/peers/node/peer.js with the official @grpc/grpc-js client. Its npm packages are
/// installed from the committed lock file once per test run (`npm ci`).
/// </summary>
internal static class NodePeer
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private static bool s_installed;

    private static string Folder => Path.Combine(RepoPaths.Root, "tests", "peers", "node");

    public static async Task<JsonElement> RunAsync(string target, params string[] scenario)
    {
        using var process = await StartAsync(target, scenario);
        return await FinishAsync(process);
    }

    /// <summary>Starts a scenario without waiting, for ones the test must interact with (health_watch).</summary>
    public static async Task<Process> StartAsync(string target, params string[] scenario)
    {
        await EnsureInstalledAsync();
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Folder,
        };
        info.ArgumentList.Add(Path.Combine(Folder, "peer.js"));
        info.ArgumentList.Add(target);
        foreach (var arg in scenario)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("node did not start.");
    }

    public static async Task<JsonElement> FinishAsync(Process process)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"node peer failed ({process.ExitCode}): {await stderr}\n{output}");
        }

        return JsonDocument.Parse(output).RootElement.Clone();
    }

    private static async Task EnsureInstalledAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            if (s_installed)
            {
                return;
            }

            await Npm.CleanInstallAsync(Folder);

            s_installed = true;
        }
        finally
        {
            InstallLock.Release();
        }
    }
}
