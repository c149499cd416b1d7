namespace GrpcDvc.Server.Storage;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>The database chosen by configuration, with its connection string resolved.</summary>
/// <param name="ReadConnectionString">A hot standby for reads that may lag the primary (PostgreSQL only); null: the primary.</param>
public sealed record DatabaseTarget(DatabaseProvider Provider, string ConnectionString, string? ReadConnectionString = null)
{
    public static DatabaseTarget From(DatabaseOptions database, string dataDir)
    {
        var provider = database.Provider.Trim().ToUpperInvariant() switch
        {
            "SQLITE" or "" => DatabaseProvider.Sqlite,
            "POSTGRES" or "POSTGRESQL" or "NPGSQL" => DatabaseProvider.Postgres,
            var other => throw new InvalidOperationException(
                $"Dvc:Database:Provider '{other}' is not supported; use 'sqlite' or 'postgres'."),
        };

        var connectionString = database.ConnectionString;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (provider == DatabaseProvider.Postgres)
            {
                throw new InvalidOperationException("Dvc:Database:ConnectionString is required for PostgreSQL.");
            }

            Directory.CreateDirectory(dataDir);
            connectionString = $"Data Source={Path.GetFullPath(Path.Combine(dataDir, "grpcdvc.db"))}";
        }

        var readConnectionString = string.IsNullOrWhiteSpace(database.ReadConnectionString) ? null : database.ReadConnectionString;
        if (readConnectionString is not null && provider != DatabaseProvider.Postgres)
        {
            // An embedded file has no standby: a setting that would silently read the primary is refused instead.
            throw new InvalidOperationException("Dvc:Database:ReadConnectionString is for PostgreSQL only; SQLite has no standby.");
        }

        return provider == DatabaseProvider.Postgres
            ? new DatabaseTarget(provider, PostgresConnectionDefaults.Apply(connectionString),
                readConnectionString is null ? null : PostgresConnectionDefaults.Apply(readConnectionString))
            : new DatabaseTarget(provider, connectionString, readConnectionString);
    }

    /// <summary>The connection string without secrets, for logs.</summary>
    public string Describe() => Provider switch
    {
        DatabaseProvider.Sqlite => $"SQLite ({new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(ConnectionString).DataSource})",
        _ => DescribePostgres(),
    };

    private string DescribePostgres()
        => ReadConnectionString is null ? $"PostgreSQL ({Endpoint(ConnectionString)})"
            : $"PostgreSQL ({Endpoint(ConnectionString)}, registry reads from {Endpoint(ReadConnectionString)})";

    private static string Endpoint(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }
}
