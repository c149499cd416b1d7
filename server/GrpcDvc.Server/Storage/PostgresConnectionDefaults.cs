using System.Data.Common;
using Npgsql;

namespace GrpcDvc.Server.Storage;

/// <summary>
/// What the server adds to an operator's PostgreSQL connection string where the operator has not set it:
/// both save PostgreSQL work the server's round trips would otherwise repeat.
/// </summary>
public static class PostgresConnectionDefaults
{
    /// <summary>
    /// Statements prepared per connection once used twice. The server sends a few dozen distinct
    /// statements over and over (a lookup is the same two every time): unprepared, PostgreSQL parses and
    /// plans each anew, which the lookup benchmark's profile showed as a visible share of its CPU.
    /// </summary>
    public const int MaxAutoPrepare = 64;

    /// <summary>
    /// A pooled connection is handed on without resetting its session. EF Core opens and closes the
    /// connection around every command outside a transaction, and with prepared statements Npgsql's
    /// reset is a batch of its own (RESET ALL, CLOSE ALL, UNLISTEN *, pg_advisory_unlock_all(),
    /// DISCARD SEQUENCES, DISCARD TEMP) sent before the next command: the dossier benchmark's profile
    /// showed it in PostgreSQL's CPU on every round trip. The server keeps no state in a pooled session
    /// (SET LOCAL ends with its transaction; the migration lock's advisory lock is taken on an unpooled
    /// connection), so there is nothing to reset.
    /// </summary>
    public const bool NoResetOnClose = true;

    /// <summary>The connection string with the defaults added; a setting the operator gave (even 0 or false) stays.</summary>
    public static string Apply(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Mentions(given, "maxautoprepare"))
        {
            builder.MaxAutoPrepare = MaxAutoPrepare;
        }

        if (!Mentions(given, "noresetonclose"))
        {
            builder.NoResetOnClose = NoResetOnClose;
        }

        return builder.ConnectionString;
    }

    // Npgsql accepts a key with or without its spaces, in any case ("Max Auto Prepare", "maxautoprepare").
    private static bool Mentions(DbConnectionStringBuilder given, string key)
        => given.Keys.Cast<string>().Any(k => string.Equals(k.Replace(" ", "", StringComparison.Ordinal), key, StringComparison.OrdinalIgnoreCase));
}
