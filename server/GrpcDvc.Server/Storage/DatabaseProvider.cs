namespace GrpcDvc.Server.Storage;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>The database chosen by configuration, with its connection string resolved.</summary>
public sealed record DatabaseTarget(DatabaseProvider Provider, string ConnectionString)
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

        return new DatabaseTarget(provider, connectionString);
    }

    /// <summary>The connection string without secrets, for logs.</summary>
    public string Describe() => Provider switch
    {
        DatabaseProvider.Sqlite => $"SQLite ({new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(ConnectionString).DataSource})",
        _ => DescribePostgres(),
    };

    private string DescribePostgres()
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
        return $"PostgreSQL ({builder.Host}:{builder.Port}/{builder.Database})";
    }
}
