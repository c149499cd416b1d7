using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Storage;

/// <summary>Whether a failed write met a change made meanwhile, so that trying again can succeed.</summary>
public static class WriteConflicts
{
    // SQLITE_CONSTRAINT_UNIQUE and SQLITE_CONSTRAINT_PRIMARYKEY; PostgreSQL's unique_violation.
    private const int SqliteUnique = 2067;
    private const int SqlitePrimaryKey = 1555;
    private const string PostgresUnique = "23505";

    /// <summary>
    /// A version that moved (a concurrency token) or a unique key another write took: a race, worth a retry.
    /// Anything else (a check, a trigger, a full disk) is a failure of its own that a retry would only repeat.
    /// </summary>
    public static bool IsConflict(DbUpdateException e)
        => e is DbUpdateConcurrencyException
           || e.InnerException is SqliteException { SqliteExtendedErrorCode: SqliteUnique or SqlitePrimaryKey }
           || e.InnerException is DbException { SqlState: PostgresUnique };
}
