using System.Diagnostics;

namespace GrpcDvc.Tests.Support;

/// <summary>npm as the tests use it: installs exactly what a folder's lock file names.</summary>
internal static class Npm
{
    /// <summary>Runs <c>npm ci</c> in <paramref name="folder"/>; throws with npm's output when it fails.</summary>
    public static async Task CleanInstallAsync(string folder)
    {
        var info = new ProcessStartInfo("npm", "ci --no-audit --no-fund --loglevel=error")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var npm = Process.Start(info) ?? throw new InvalidOperationException("npm did not start.");
        var output = npm.StandardOutput.ReadToEndAsync();
        var errors = npm.StandardError.ReadToEndAsync();
        await npm.WaitForExitAsync();
        if (npm.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm ci failed in {folder}: {await output}{await errors}");
        }
    }
}
