using System.Diagnostics;
using GrpcDvc.Tests.Support;

namespace GrpcDvc.Tests.Protos;

/// <summary>
/// A throwaway git repository laid out like ours (protos/dvc/**, protos/check.sh and its buf config),
/// for running the real protos/check.sh on histories a test writes. buf comes from the
/// <see cref="BufInstall"/> fixture's node_modules, linked in, so no test installs it again.
/// </summary>
internal sealed class ContractRepo : IDisposable
{
    // The tooling exactly as committed in our repository, so the tests exercise what CI runs.
    private static readonly string[] Tooling = ["check.sh", "buf.yaml", "package.json", "package-lock.json"];

    private readonly BufInstall _buf;

    private ContractRepo(string root, BufInstall buf)
    {
        Root = root;
        _buf = buf;
    }

    public string Root { get; }

    private string Protos => Path.Combine(Root, "protos");

    /// <summary>An empty repository (no commit yet) with branch main.</summary>
    public static async Task<ContractRepo> InitAsync(BufInstall buf)
    {
        var repo = new ContractRepo(Directory.CreateTempSubdirectory("grpcdvc-contract-").FullName, buf);
        await repo.GitAsync("init", "-q", "-b", "main");
        await File.WriteAllTextAsync(Path.Combine(repo.Root, ".gitignore"), "node_modules/\n");
        return repo;
    }

    /// <summary>A shallow clone (depth 1) of <paramref name="origin"/>: its HEAD without parents.</summary>
    public static async Task<ContractRepo> ShallowCloneAsync(ContractRepo origin, BufInstall buf)
    {
        var root = Directory.CreateTempSubdirectory("grpcdvc-contract-shallow-").FullName;
        var clone = new ContractRepo(root, buf);
        await clone.GitAsync("clone", "-q", "--depth", "1", new Uri(origin.Root).AbsoluteUri, root);
        clone.LinkBuf();
        return clone;
    }

    /// <summary>Our project's dvc/ protos, as they are in this checkout.</summary>
    public void AddOurContract() =>
        CopyTree(Path.Combine(RepoPaths.Root, "protos", "dvc"), Path.Combine(Protos, "dvc"));

    /// <summary>check.sh, buf.yaml and the npm pin, and buf itself linked in (not committed).</summary>
    public void AddTooling()
    {
        Directory.CreateDirectory(Protos);
        foreach (var file in Tooling)
        {
            File.Copy(Path.Combine(RepoPaths.Root, "protos", file), Path.Combine(Protos, file), overwrite: true);
        }

        LinkBuf();
    }

    public void Write(string protosRelative, string text)
    {
        var path = Path.Combine(Protos, protosRelative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    /// <summary>Replaces one exact piece of a proto; fails if the piece is not there (the edit must happen).</summary>
    public void Edit(string protosRelative, string from, string to)
    {
        var path = Path.Combine(Protos, protosRelative);
        var text = File.ReadAllText(path);
        if (!text.Contains(from, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{protosRelative} no longer contains \"{from}\"; update the test's edit.");
        }

        File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));
    }

    public void Delete(string protosRelative)
    {
        var path = Path.Combine(Protos, protosRelative);
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
        else
        {
            File.Delete(path);
        }
    }

    public async Task CommitAsync(string message)
    {
        await GitAsync("add", "-A");
        await GitAsync("-c", "commit.gpgsign=false", "commit", "-q", "--allow-empty", "-m", message);
    }

    /// <summary>Runs protos/check.sh as test.sh does; <paramref name="ci"/> sets CI=true as CI's run does.</summary>
    public async Task<(int ExitCode, string Output)> CheckAsync(bool ci = false)
    {
        var info = Start("bash", Path.Combine(Protos, "check.sh"));
        info.Environment["CI"] = ci ? "true" : "";
        info.Environment.Remove("CONTRACT_AGAINST");
        var (exitCode, stdout, stderr) = await RunAsync(info);
        return (exitCode, stdout + stderr);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; the test's verdict matters more.
        }
    }

    private void LinkBuf()
    {
        var link = Path.Combine(Protos, "node_modules");
        if (!Path.Exists(link))
        {
            Directory.CreateSymbolicLink(link, _buf.NodeModules);
        }
    }

    private async Task GitAsync(params string[] args)
    {
        var info = Start("git", args);
        var (exitCode, stdout, stderr) = await RunAsync(info);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed ({exitCode}): {stderr}{stdout}");
        }
    }

    private ProcessStartInfo Start(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // The machine's git identity and hooks are not the test's business.
        info.Environment["GIT_AUTHOR_NAME"] = info.Environment["GIT_COMMITTER_NAME"] = "Contract Test";
        info.Environment["GIT_AUTHOR_EMAIL"] = info.Environment["GIT_COMMITTER_EMAIL"] = "contract@test.invalid";
        info.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        info.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        return info;
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(ProcessStartInfo info)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{info.FileName} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{info.FileName} {string.Join(' ', info.ArgumentList)} ran over 2 minutes.");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*.proto", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
