using Microsoft.Data.Sqlite;
using Npgsql;

namespace GrpcDvc.Server.Storage;

/// <summary>
/// The one lock instances of GrpcDvc take on a shared database while they migrate and seed it, so
/// that two instances starting together on a fresh database do not both create the same tables
/// or insert the same rows (migrations and seeders check, then write: safe in turn, not at once).
/// PostgreSQL: a session-level advisory lock on a connection of its own (the lock is per database,
/// and ends with the session if the process dies). SQLite: an exclusive lock on a file beside the
/// database file, which the operating system drops when the process dies.
/// </summary>
public sealed class DatabaseLock : IAsyncDisposable, IDisposable
{
    // "GrpcDvc" and a 1: an advisory-lock key no other application on the database is likely to use.
    private const long AdvisoryKey = 0x4772_7063_4476_6301;
    private static readonly TimeSpan FilePoll = TimeSpan.FromMilliseconds(100);

    private readonly IDisposable? _held;

    private DatabaseLock(IDisposable? held) => _held = held;

    /// <summary>Waits (as long as it takes, until cancelled) for the lock on <paramref name="target"/>.</summary>
    public static async Task<DatabaseLock> AcquireAsync(DatabaseTarget target, CancellationToken cancellationToken = default)
        => new(target.Provider switch
        {
            DatabaseProvider.Postgres => await AdvisoryLockAsync(target.ConnectionString, cancellationToken),
            _ => await LockFileAsync(target.ConnectionString, cancellationToken),
        });

    public void Dispose() => _held?.Dispose();

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static async Task<IDisposable> AdvisoryLockAsync(string connectionString, CancellationToken cancellationToken)
    {
        // Unpooled: closing the connection ends the session, and the session's lock with it.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection);
            command.Parameters.AddWithValue("key", AdvisoryKey);
            // Another instance may migrate and seed for longer than any command timeout.
            command.CommandTimeout = 0;
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task<IDisposable?> LockFileAsync(string connectionString, CancellationToken cancellationToken)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrEmpty(dataSource) || dataSource.StartsWith(':') || Path.GetDirectoryName(Path.GetFullPath(dataSource)) is not { } folder
            || !Directory.Exists(folder))
        {
            return null; // in memory, or a folder SQLite could not open either: nothing another process could share
        }

        return await FileLock.TakeAsync(Path.GetFullPath(dataSource) + ".lock", FilePoll, cancellationToken);
    }
}
