using Npgsql;

namespace GrpcDvc.Tests.Support;

/// <summary>
/// A primary PostgreSQL cluster and a streaming hot standby of it, both throwaway, for the reads
/// Dvc:Database:ReadConnectionString sends to a standby. Replay on the standby can be paused, so a
/// test can tell which of the two answered a read.
/// </summary>
public sealed class StandbyPair : IAsyncLifetime
{
    private static readonly TimeSpan CatchUpLimit = TimeSpan.FromSeconds(30);

    public PostgresCluster Primary { get; } = new();

    public PostgresCluster Standby { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Primary.InitializeAsync();
        Standby = await Primary.StartStandbyAsync();
    }

    public async Task DisposeAsync()
    {
        if (Standby is not null)
        {
            await Standby.DisposeAsync();
        }

        await Primary.DisposeAsync();
    }

    /// <summary>Stops replaying WAL on the standby and returns once it has stopped: later commits on the primary stay unseen there.</summary>
    public async Task PauseReplayAsync()
    {
        await OnStandbyAsync("SELECT pg_wal_replay_pause()");
        await WaitAsync(async () => (string)(await OnStandbyAsync("SELECT pg_get_wal_replay_pause_state()"))! == "paused", "replay to pause");
    }

    /// <summary>Resumes replay and returns once the standby has replayed everything the primary had written when called.</summary>
    public async Task ResumeReplayAsync()
    {
        await OnStandbyAsync("SELECT pg_wal_replay_resume()");
        await CaughtUpAsync();
    }

    /// <summary>
    /// Returns once the standby has replayed everything the primary had written when called: up to the
    /// insert position, since the test cluster commits asynchronously (a commit may not be flushed yet).
    /// </summary>
    public async Task CaughtUpAsync()
    {
        var written = (string)(await OnAsync(Primary, "SELECT pg_current_wal_insert_lsn()::text"))!;
        await WaitAsync(async () => (bool)(await OnAsync(Standby, "SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn", written))!, "the standby to catch up");
    }

    private Task<object?> OnStandbyAsync(string sql) => OnAsync(Standby, sql);

    private static async Task<object?> OnAsync(PostgresCluster cluster, string sql, string? parameter = null)
    {
        await using var connection = new NpgsqlConnection(cluster.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        if (parameter is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return await command.ExecuteScalarAsync();
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var until = DateTime.UtcNow + CatchUpLimit;
        while (!await condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"Waited {CatchUpLimit.TotalSeconds} s for {what}.");
            }

            await Task.Delay(20);
        }
    }
}
