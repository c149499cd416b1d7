using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace GrpcDvc.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL cluster started from the distribution's binaries
/// (Debian: package <c>postgresql</c>, binaries under <c>/usr/lib/postgresql/&lt;version&gt;/bin</c>).
/// No Docker. When the tests run as root the server runs as the <c>postgres</c> OS user,
/// because PostgreSQL refuses to run as root. <see cref="StartStandbyAsync"/> adds a streaming hot
/// standby of it (pg_basebackup -R), for the reads Dvc:Database:ReadConnectionString sends there.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    private const string PostgresRoot = "/usr/lib/postgresql";
    private const string PostgresOsUser = "postgres";
    private const int MaxStartAttempts = 3;
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(120);

    private readonly bool _runAsPostgres = IsRoot();
    private string? _binDirectory;
    private string? _baseDirectory;
    private string? _dataDirectory;
    private bool _startAttempted;

    // Set on a standby: the primary its base backup is taken from (instead of initdb).
    private readonly PostgresCluster? _primary;

    public PostgresCluster()
    {
    }

    private PostgresCluster(PostgresCluster primary)
    {
        _primary = primary;
        SynchronousCommit = primary.SynchronousCommit;
    }

    public int Port { get; private set; }

    /// <summary>
    /// Commits wait for their WAL to reach the kernel (PostgreSQL's default). Off by default here, for
    /// speed; fault tests that crash the cluster turn it on, or an immediate stop may drop the last
    /// acknowledged commits (a test-cluster artefact, not the server's).
    /// </summary>
    public bool SynchronousCommit { get; init; }

    /// <summary>Present while the cluster runs.</summary>
    public string PidFile => Path.Combine(_dataDirectory!, "postmaster.pid");

    public string AdminConnectionString => ConnectionStringFor("postgres", pooling: false);

    public async Task InitializeAsync()
    {
        _binDirectory = FindBinDirectory();

        _baseDirectory = Path.Combine(
            Path.GetTempPath(),
            "grpcdvc-pg-" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture));
        _dataDirectory = Path.Combine(_baseDirectory, "data");
        Directory.CreateDirectory(_baseDirectory);

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(
                _baseDirectory,
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        if (_runAsPostgres)
        {
            // The server and initdb run as 'postgres': hand the whole directory over.
            await RunAsync("chown", ["-R", PostgresOsUser + ":", _baseDirectory], asPostgres: false);
        }

        if (_primary is null)
        {
            await InitDbAsync();
        }
        else
        {
            await BaseBackupAsync(_primary);
        }

        await StartAsync();
    }

    /// <summary>
    /// A hot standby of this cluster on a port of its own, streaming its WAL from now on (databases created
    /// later arrive too). The caller disposes it. Queries there see what has been replayed so far; writes fail.
    /// </summary>
    public async Task<PostgresCluster> StartStandbyAsync()
    {
        var standby = new PostgresCluster(this);
        try
        {
            await standby.InitializeAsync();
            return standby;
        }
        catch
        {
            await standby.DisposeAsync();
            throw;
        }
    }

    /// <summary><paramref name="connectionString"/> (a database of the primary) pointed at this cluster instead.</summary>
    public string SameDatabaseHere(string connectionString)
        => new NpgsqlConnectionStringBuilder(connectionString) { Port = Port }.ConnectionString;

    public async Task DisposeAsync()
    {
        if (_startAttempted && _binDirectory is not null && _dataDirectory is not null
            && File.Exists(Path.Combine(_dataDirectory, "postmaster.pid")))
        {
            try
            {
                await RunAsync(
                    PgCtl,
                    ["-D", _dataDirectory, "-m", "immediate", "-w", "stop"],
                    _runAsPostgres);
            }
            catch (InvalidOperationException)
            {
                // Best effort: the server may already be gone.
            }
        }

        if (_baseDirectory is not null)
        {
            try
            {
                Directory.Delete(_baseDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Leftovers in the temp directory are harmless.
            }
            catch (UnauthorizedAccessException)
            {
                // Same.
            }
        }
    }

    /// <summary>Stops the cluster: <paramref name="mode"/> "fast" (clients disconnected, checkpoint) or "immediate" (a crash: recovery at the next start).</summary>
    public Task StopAsync(string mode) => RunAsync(PgCtl, ["-D", _dataDirectory!, "-m", mode, "-w", "stop"], _runAsPostgres);

    /// <summary>Starts a stopped cluster again on the same port (clients keep their connection strings).</summary>
    public Task RestartAsync() => StartOnPortAsync(Port);

    /// <summary>Creates a fresh, empty database and returns a connection string for it.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        name ??= "t_" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);

        var connection = new NpgsqlConnection(AdminConnectionString);
        await using (connection)
        {
            await connection.OpenAsync();
            var command = connection.CreateCommand();
            await using (command)
            {
                command.CommandText = "CREATE DATABASE " + QuoteIdentifier(name);
                await command.ExecuteNonQueryAsync();
            }
        }

        return ConnectionStringFor(name, pooling: true);
    }

    private string PgCtl => Path.Combine(RequireBin(), "pg_ctl");

    private string InitDb => Path.Combine(RequireBin(), "initdb");

    private string RequireBin() =>
        _binDirectory ?? throw new InvalidOperationException("The PostgreSQL cluster has not been initialised.");

    private string ConnectionStringFor(string database, bool pooling)
    {
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database}");
        if (!pooling)
        {
            builder.Append(";Pooling=false");
        }

        return builder.ToString();
    }

    private async Task InitDbAsync()
    {
        var data = _dataDirectory!;
        string[] common = ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8"];
        try
        {
            await RunAsync(InitDb, [.. common, "--locale=C.UTF-8"], _runAsPostgres);
        }
        catch (InvalidOperationException)
        {
            // Older systems may lack the C.UTF-8 locale.
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }

            await RunAsync(InitDb, [.. common, "--no-locale"], _runAsPostgres);
        }
    }

    // The primary's default pg_hba (initdb) trusts replication connections from loopback, and its
    // wal_level (replica) and max_wal_senders (10) are PostgreSQL's defaults; -R writes standby.signal
    // and primary_conninfo, so the copy starts as a streaming hot standby.
    private Task BaseBackupAsync(PostgresCluster primary)
        => RunAsync(Path.Combine(RequireBin(), "pg_basebackup"),
            ["-D", _dataDirectory!, "-h", "127.0.0.1", "-p", primary.Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres",
                "-R", "-X", "stream", "-c", "fast"],
            _runAsPostgres);

    private async Task StartAsync()
    {
        var baseDirectory = _baseDirectory!;
        var logFile = Path.Combine(baseDirectory, "log.txt");

        for (var attempt = 1; ; attempt++)
        {
            Port = FindFreePort();
            try
            {
                await StartOnPortAsync(Port);
                return;
            }
            catch (InvalidOperationException ex)
            {
                var log = ReadLog(logFile);
                // Another process may have taken the port between probing and binding: retry.
                if (attempt < MaxStartAttempts
                    && log.Contains("already in use", StringComparison.OrdinalIgnoreCase)
                    && !File.Exists(Path.Combine(_dataDirectory!, "postmaster.pid")))
                {
                    continue;
                }

                throw new InvalidOperationException(
                    ex.Message + Environment.NewLine + "Server log (" + logFile + "):" + Environment.NewLine + log,
                    ex);
            }
        }
    }

    private async Task StartOnPortAsync(int port)
    {
        var baseDirectory = _baseDirectory!;
        var logFile = Path.Combine(baseDirectory, "log.txt");
        var synchronousCommit = SynchronousCommit ? "on" : "off";
        var options = string.Create(
            CultureInfo.InvariantCulture,
            $"-p {port} -k '{baseDirectory}' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit={synchronousCommit} -c full_page_writes=off -c max_connections=400 -c wal_level=replica -c max_wal_senders=10 -c hot_standby=on");

        if (File.Exists(logFile))
        {
            File.Delete(logFile);
        }

        _startAttempted = true;
        await RunAsync(
            PgCtl,
            ["-D", _dataDirectory!, "-o", options, "-l", logFile, "-w", "-t", "60", "start"],
            _runAsPostgres);
    }

    private static string ReadLog(string logFile)
    {
        try
        {
            return File.Exists(logFile) ? File.ReadAllText(logFile) : "(no log file)";
        }
        catch (IOException ex)
        {
            return "(log unreadable: " + ex.Message + ")";
        }
    }

    private static int FindFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static bool IsRoot() =>
        !OperatingSystem.IsWindows()
        && (Environment.IsPrivilegedProcess
            || string.Equals(Environment.UserName, "root", StringComparison.Ordinal));

    private static string FindBinDirectory()
    {
        string? best = null;
        Version? bestVersion = null;
        if (Directory.Exists(PostgresRoot))
        {
            foreach (var directory in Directory.EnumerateDirectories(PostgresRoot))
            {
                var versionText = Path.GetFileName(directory);
                if (!Version.TryParse(versionText.Contains('.', StringComparison.Ordinal) ? versionText : versionText + ".0", out var version))
                {
                    continue;
                }

                var bin = Path.Combine(directory, "bin");
                if (!File.Exists(Path.Combine(bin, "initdb")) || !File.Exists(Path.Combine(bin, "pg_ctl")))
                {
                    continue;
                }

                if (bestVersion is null || version > bestVersion)
                {
                    best = bin;
                    bestVersion = version;
                }
            }
        }

        return best ?? throw new InvalidOperationException(
            $"No PostgreSQL server binaries (initdb, pg_ctl) found under {PostgresRoot}/<version>/bin. " +
            "Install them with: apt-get install postgresql");
    }

    private static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private async Task RunAsync(string fileName, IReadOnlyList<string> arguments, bool asPostgres)
    {
        var startInfo = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            CreateNoWindow = true,
        };

        if (asPostgres)
        {
            startInfo.FileName = "runuser";
            startInfo.ArgumentList.Add("-u");
            startInfo.ArgumentList.Add(PostgresOsUser);
            startInfo.ArgumentList.Add("--");
            startInfo.ArgumentList.Add(fileName);
        }
        else
        {
            startInfo.FileName = fileName;
        }

        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // The 'postgres' user may not be able to enter the test runner's working directory.
        if (_baseDirectory is not null && Directory.Exists(_baseDirectory))
        {
            startInfo.WorkingDirectory = _baseDirectory;
        }

        var commandLine = startInfo.FileName + " " + string.Join(' ', startInfo.ArgumentList.Select(QuoteForDisplay));

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"Could not start '{commandLine}': {ex.Message}", ex);
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();

        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException(
                $"Command timed out after {CommandTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s: {commandLine}");
        }

        var output = await stdout;
        var error = await stderr;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"Command failed with exit code {process.ExitCode}: {commandLine}{Environment.NewLine}stdout:{Environment.NewLine}{output}{Environment.NewLine}stderr:{Environment.NewLine}{error}"));
        }
    }

    private static string QuoteForDisplay(string argument) =>
        argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"')
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

/// <summary>Shares one <see cref="PostgresCluster"/> across every test class in the collection.</summary>
[CollectionDefinition(Name)]
[SuppressMessage(
    "Naming",
    "CA1711:Identifiers should not have incorrect suffix",
    Justification = "xunit collection definitions are conventionally named *Collection.")]
public sealed class PostgresCollection : ICollectionFixture<PostgresCluster>
{
    public const string Name = "PostgreSQL";
}
