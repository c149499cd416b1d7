namespace GrpcDvc.Server.Storage;

/// <summary>The "Dvc:Database" section.</summary>
public sealed class DatabaseOptions
{
    /// <summary>"sqlite" (embedded default) or "postgres".</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>Empty for SQLite means a file "grpcdvc.db" under DataDir; required for PostgreSQL.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// PostgreSQL only, optional: a hot standby (or several, Npgsql multi-host) that the registry's reads go to.
    /// Unset, every read goes to <see cref="ConnectionString"/>. Writes never use it.
    /// </summary>
    public string? ReadConnectionString { get; set; }
}

/// <summary>The folder of the embedded database and other local files ("Dvc:DataDir").</summary>
public sealed record DataDirectory(string Path);
