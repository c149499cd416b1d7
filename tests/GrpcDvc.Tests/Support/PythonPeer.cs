using System.Diagnostics;
using System.Text.Json;

namespace GrpcDvc.Tests.Support;

/// <summary>Runs tests/peers/python/dvc_peer.py with Debian's grpcio and returns its JSON answer.</summary>
internal static class PythonPeer
{
    // Debian's python3-grpcio is installed for /usr/bin/python3, not for any python3 earlier on PATH.
    private const string Python = "/usr/bin/python3";

    public static async Task<JsonElement> RunAsync(string target, string descriptorSet, params string[] scenario)
    {
        var info = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(RepoPaths.Peer(Path.Combine("python", "dvc_peer.py")));
        info.ArgumentList.Add(target);
        info.ArgumentList.Add(descriptorSet);
        foreach (var arg in scenario)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["PYTHONIOENCODING"] = "utf-8";
        using var process = Process.Start(info) ?? throw new InvalidOperationException("python3 did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"python peer failed ({process.ExitCode}): {await stderr}\n{output}");
        }

        return JsonDocument.Parse(output).RootElement.Clone();
    }
}
