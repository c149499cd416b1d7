using System.Globalization;
using System.Text.RegularExpressions;
using GrpcDvc.Contracts.Catalog.V1;
using GrpcDvc.Tests.Support;
using Npgsql;

namespace GrpcDvc.Tests.Scripts;

/// <summary>
/// server/scripts/postgres-setup.sh on a throwaway cluster of its own (one per test: the role is
/// cluster-wide), then the real server on the connection string it printed.
/// </summary>
public sealed partial class PostgresSetupScriptTests : IAsyncLifetime
{
    private const string SetupScript = "server/scripts/postgres-setup.sh";
    private readonly PostgresCluster _cluster = new();

    public async Task InitializeAsync()
    {
        await _cluster.InitializeAsync();
        await RequirePasswordsAsync();
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task Setup_FreshCluster_ServerRunsOnPrintedConnectionString()
    {
        var result = await RunSetupAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"role dvc: created, with the password \S+ \(shown this once", result.Output);
        Assert.Contains("database dvc: created, owned by dvc", result.Output, StringComparison.Ordinal);
        var connectionString = PrintedConnectionString(result);
        await using (var server = await InProcessServer.StartAsync(connectionString))
        {
            // Start-up migrated the schema as dvc; the catalog it seeded answers over gRPC.
            var page = await new CatalogService.CatalogServiceClient(server.Channel).ListProceduresAsync(new ListProceduresRequest());
            Assert.Equal(35, page.Page.TotalSize);
        }

        var wrongPassword = new NpgsqlConnectionStringBuilder(connectionString) { Password = "not-the-password", Pooling = false };
        var refused = await Assert.ThrowsAsync<PostgresException>(() => OpenAsync(wrongPassword.ConnectionString));
        Assert.Equal(PostgresErrorCodes.InvalidPassword, refused.SqlState);
    }

    [Fact]
    public async Task Setup_RunAgain_KeepsRoleDatabaseAndPassword()
    {
        var first = await RunSetupAsync("--password", "first-Password.1");
        Assert.True(first.ExitCode == 0, first.ToString());

        var again = await RunSetupAsync();

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("role dvc: exists, password unchanged", again.Output, StringComparison.Ordinal);
        Assert.Contains("database dvc: exists, owned by dvc", again.Output, StringComparison.Ordinal);
        await OpenAsync(PrintedConnectionString(first) + ";Pooling=false");
    }

    private Task<ScriptResult> RunSetupAsync(params string[] arguments)
    {
        string[] cluster = ["--host", "127.0.0.1", "--port", _cluster.Port.ToString(CultureInfo.InvariantCulture)];
        // As root the script runs psql as the OS user postgres, like on a Debian server (the test cluster
        // runs as postgres then too); otherwise the cluster belongs to the test's user, superuser `postgres`.
        string[] superuser = Environment.IsPrivilegedProcess ? [] : ["--superuser", "postgres"];
        return ShellScript.RunAsync(SetupScript, [.. cluster, .. superuser, .. arguments]);
    }

    /// <summary>The value of --Dvc:Database:ConnectionString in the printed command, as a user copies it.</summary>
    private static string PrintedConnectionString(ScriptResult result)
    {
        var match = PrintedConnectionStringPattern().Match(result.Output);
        Assert.True(match.Success, result.ToString());
        return match.Groups[1].Value;
    }

    private static async Task OpenAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
    }

    /// <summary>
    /// The test cluster trusts every connection; from here on everyone but the superuser `postgres` must
    /// give their password over TCP (SCRAM, as Debian's default for 127.0.0.1), so a wrong printed
    /// password would fail the test.
    /// </summary>
    private async Task RequirePasswordsAsync()
    {
        await using var admin = new NpgsqlConnection(_cluster.AdminConnectionString);
        await admin.OpenAsync();
        await using var show = new NpgsqlCommand("SHOW hba_file", admin);
        var hbaFile = (string)(await show.ExecuteScalarAsync())!;
        await File.WriteAllTextAsync(hbaFile, """
            local all postgres trust
            host all postgres 127.0.0.1/32 trust
            host all all 127.0.0.1/32 scram-sha-256
            """);
        await using var reload = new NpgsqlCommand("SELECT pg_reload_conf()", admin);
        await reload.ExecuteScalarAsync();
    }

    [GeneratedRegex("""--Dvc:Database:ConnectionString="([^"]+)"$""", RegexOptions.Multiline)]
    private static partial Regex PrintedConnectionStringPattern();
}
