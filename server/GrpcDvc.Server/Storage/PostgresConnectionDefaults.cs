using System.Data.Common;
using Npgsql;

namespace GrpcDvc.Server.Storage;

/// <summary>
/// What the server adds to an operator's PostgreSQL connection string where the operator has not set it.
/// </summary>
public static class PostgresConnectionDefaults
{
    /// <summary>
    /// Statements prepared per connection once used twice. The server sends a few dozen distinct
    /// statements over and over (a lookup is the same two every time): unprepared, PostgreSQL parses and
    /// plans each anew, which the lookup benchmark's profile showed as a visible share of its CPU.
    /// </summary>
    public const int MaxAutoPrepare = 64;

    /// <summary>The connection string with the defaults added; a setting the operator gave (even 0) stays.</summary>
    public static string Apply(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Mentions(given, "maxautoprepare"))
        {
            builder.MaxAutoPrepare = MaxAutoPrepare;
        }

        return builder.ConnectionString;
    }

    // Npgsql accepts a key with or without its spaces, in any case ("Max Auto Prepare", "maxautoprepare").
    private static bool Mentions(DbConnectionStringBuilder given, string key)
        => given.Keys.Cast<string>().Any(k => string.Equals(k.Replace(" ", "", StringComparison.Ordinal), key, StringComparison.OrdinalIgnoreCase));
}
