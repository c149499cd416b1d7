using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace GrpcDvc.Tests.Support;

/// <summary>
/// The official interop client and server of gRPC's Ruby implementation (Debian's ruby-grpc
/// ships them under the gem's src/ruby/pb/test), flags as doc/interop-test-descriptions.md gives them.
/// </summary>
internal static class RubyInterop
{
    private const string Ruby = "ruby";

    private static readonly Lazy<string> TestDir = new(FindTestDir);

    public static string ClientScript => Path.Combine(TestDir.Value, "client.rb");

    public static string ServerScript => Path.Combine(TestDir.Value, "server.rb");

    /// <summary>Runs one interop test case against a plaintext server; returns its exit code and all it printed.</summary>
    public static async Task<RubyRun> RunClientAsync(string host, int port, string testCase, TimeSpan timeout)
    {
        using var process = Start(ClientScript,
            $"--server_host={host}", $"--server_port={port}", $"--test_case={testCase}", "--use_tls=false");
        var output = new OutputLog(process);
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return new RubyRun(-1, $"timed out after {timeout.TotalSeconds:F0} s\n{output}");
        }

        // The exit event can come before the last output lines; wait for the streams to close.
        process.WaitForExit();
        return new RubyRun(process.ExitCode, output.ToString());
    }

    /// <summary>Starts the Ruby interop server on <paramref name="port"/> and waits until it accepts connections.</summary>
    public static async Task<RubyInteropServer> StartServerAsync(int port)
    {
        var process = Start(ServerScript, $"--port={port}", "--use_tls=false");
        var server = new RubyInteropServer(process, new OutputLog(process), port);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!limit.IsCancellationRequested && !process.HasExited)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port, limit.Token);
                return server;
            }
            catch (SocketException)
            {
                await Task.Delay(100, CancellationToken.None);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        var output = server.Output;
        await server.DisposeAsync();
        throw new InvalidOperationException($"The Ruby interop server did not start on port {port}:\n{output}");
    }

    private static Process Start(string script, params string[] args)
    {
        var info = new ProcessStartInfo(Ruby)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(script);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("ruby did not start.");
    }

    /// <summary>Asks Ruby where its grpc gem lives, so any gem layout (Debian's, gem install's) works.</summary>
    private static string FindTestDir()
    {
        using var process = Start("-e", "print Gem::Specification.find_by_name('grpc').full_gem_path");
        var gemDir = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var testDir = Path.Combine(gemDir.Trim(), "src", "ruby", "pb", "test");
        if (process.ExitCode != 0 || !File.Exists(Path.Combine(testDir, "client.rb")))
        {
            throw new InvalidOperationException(
                $"The Ruby grpc gem's interop scripts were not found (install Debian's ruby-grpc; test.sh does): {error}");
        }

        return testDir;
    }
}

internal sealed record RubyRun(int ExitCode, string Output);

/// <summary>A running Ruby interop server; disposing kills it.</summary>
internal sealed class RubyInteropServer(Process process, OutputLog output, int port) : IAsyncDisposable
{
    public int Port { get; } = port;

    public string Target => $"127.0.0.1:{Port}";

    public string Output => output.ToString();

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}

/// <summary>Everything a process writes to stdout and stderr, interleaved as it arrives.</summary>
internal sealed class OutputLog
{
    private readonly StringBuilder _text = new();

    public OutputLog(Process process)
    {
        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public override string ToString()
    {
        lock (_text)
        {
            return _text.ToString();
        }
    }

    private void Append(object? sender, DataReceivedEventArgs e)
    {
        if (e.Data is null)
        {
            return;
        }

        lock (_text)
        {
            _text.AppendLine(e.Data);
        }
    }
}
