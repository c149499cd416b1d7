using GrpcDvc.Tests.Support;

namespace GrpcDvc.Tests.Protos;

/// <summary>
/// buf installed once for the contract tests, from our protos/package-lock.json with `npm ci`, into a
/// folder of its own (the repository's protos/node_modules is left alone).
/// </summary>
public sealed class BufInstall : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("grpcdvc-buf-").FullName;

    public string NodeModules => Path.Combine(_folder, "node_modules");

    public async Task InitializeAsync()
    {
        foreach (var file in new[] { "package.json", "package-lock.json" })
        {
            File.Copy(Path.Combine(RepoPaths.Root, "protos", file), Path.Combine(_folder, file));
        }

        await Npm.CleanInstallAsync(_folder);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}
