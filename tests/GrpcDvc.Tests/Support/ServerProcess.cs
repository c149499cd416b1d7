using System.Diagnostics;
using System.Text;

namespace GrpcDvc.Tests.Support;

/// <summary>
/// The server as users run it: a separate `dotnet GrpcDvc.Server.dll` process on fresh ports
/// and a fresh SQLite data folder, killed and cleaned up afterwards.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dataDir;
    private readonly string[] _extraArgs;
    private readonly StringBuilder _output = new();
    private bool _handedOver;

    private ServerProcess(Process process, string dataDir, string[] extraArgs, int grpcPort, int webPort)
    {
        _process = process;
        _dataDir = dataDir;
        _extraArgs = extraArgs;
        GrpcPort = grpcPort;
        WebPort = webPort;
    }

    public int GrpcPort { get; }

    /// <summary>The server's process, for its memory.</summary>
    public int ProcessId => _process.Id;

    public int WebPort { get; }

    public string GrpcTarget => $"127.0.0.1:{GrpcPort}";

    /// <summary>The server's data folder (Dvc:DataDir): the embedded database lives here.</summary>
    public string DataDir => _dataDir;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Time from process start to the "listening" log line.</summary>
    public TimeSpan StartupTime { get; private set; }

    public static Task<ServerProcess> StartAsync(params string[] extraArgs)
        => StartInAsync(Path.Combine(Path.GetTempPath(), $"grpcdvc-proc-{Guid.NewGuid():N}"), extraArgs);

    /// <summary>
    /// SIGKILL, as the kernel's OOM killer or a pulled plug would end it: no shutdown hooks, no flushing.
    /// The data folder stays for <see cref="RestartAsync"/>.
    /// </summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>
    /// SIGTERM, as systemd or an operator stops it: the host shuts down (the job scheduler with it) and the
    /// process exits. The data folder stays for <see cref="RestartAsync"/>.
    /// </summary>
    public async Task StopAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>
    /// A new process with the same data folder and settings (new ports), after <see cref="KillAsync"/> or <see cref="StopAsync"/>;
    /// the new one owns the data folder from now on.
    /// </summary>
    public async Task<ServerProcess> RestartAsync()
    {
        if (!_process.HasExited)
        {
            throw new InvalidOperationException("Kill the server before restarting it.");
        }

        _handedOver = true;
        return await StartInAsync(_dataDir, _extraArgs);
    }

    private static async Task<ServerProcess> StartInAsync(string dataDir, string[] extraArgs)
    {
        var grpcPort = FreePort.Next();
        var webPort = FreePort.Next();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(RepoPaths.ServerDll)!,
        };
        info.ArgumentList.Add(RepoPaths.ServerDll);
        info.ArgumentList.Add($"--Dvc:GrpcUrl=http://127.0.0.1:{grpcPort}");
        info.ArgumentList.Add($"--Dvc:WebUrl=http://127.0.0.1:{webPort}");
        info.ArgumentList.Add($"--Dvc:DataDir={dataDir}");
        foreach (var arg in extraArgs)
        {
            info.ArgumentList.Add(arg);
        }

        var stopwatch = Stopwatch.StartNew();
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        var server = new ServerProcess(process, dataDir, extraArgs, grpcPort, webPort);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            lock (server._output)
            {
                server._output.AppendLine(e.Data);
            }

            if (e.Data.Contains("GrpcDvc listening", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        }

        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(ready.Task, exited, Task.Delay(TimeSpan.FromSeconds(60)));
        if (first != ready.Task)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException($"The server did not start:\n{server.Output}");
        }

        server.StartupTime = stopwatch.Elapsed;
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        if (_handedOver)
        {
            return;
        }

        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
