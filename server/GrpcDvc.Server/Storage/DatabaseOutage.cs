using System.Data.Common;

namespace GrpcDvc.Server.Storage;

/// <summary>
/// Tells a database out of reach (stopped, restarting, the network gone, a connection or command
/// timeout) from every other failure: what the ADO.NET provider calls transient
/// (<see cref="DbException.IsTransient"/>: Npgsql's socket, timeout and shutdown errors, SQLite's busy
/// database), anywhere in an exception's inner chain (EF Core and authentication wrap them).
/// </summary>
public static class DatabaseOutage
{
    /// <summary>The transient database error behind <paramref name="failure"/>, or null when it is something else.</summary>
    public static DbException? CauseOf(Exception? failure)
    {
        for (var current = failure; current is not null; current = current.InnerException)
        {
            if (current is DbException { IsTransient: true } transient)
            {
                return transient;
            }
        }

        return null;
    }
}
