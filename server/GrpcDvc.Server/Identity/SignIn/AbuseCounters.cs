using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Identity.SignIn;

/// <summary>
/// The abuse limits counted in the database (table abuse_counters), so every instance sharing it
/// counts against one limit: N instances allow each limit once, not N times. Each key has a fixed
/// window that starts with its first request and lasts the rule's window; taking a permit is one
/// statement (INSERT … ON CONFLICT DO UPDATE … RETURNING) that starts a new window when the old one
/// has ended, adds the request and returns the count, so concurrent acquirers on any number of
/// instances are serialised by the row and exactly the rule's permits are let through per window.
/// A refusal carries the exact wait (the window's end) in <see cref="MetadataName.RetryAfter"/>.
/// </summary>
/// <remarks>
/// Time comes from the injected clock of the instance asking; instances' clocks are expected to
/// agree to within a second or so (NTP), which moves a window's end by as much. A fixed window lets
/// a client that used its permits at the very end of one window use a fresh set at once, so the
/// most in any span of one window is twice the permits; over longer spans the rule's rate holds.
/// Never queues: a request over the limit is refused at once, and 0 permits asks whether one is left.
/// Failures of the database are thrown (logged here); <see cref="AbuseLimiter"/> refuses the request.
/// </remarks>
public sealed partial class AbuseCounters(
    IServiceScopeFactory scopes, IdentityOptions options, TimeProvider time, ILogger<AbuseCounters> logger) : PartitionedRateLimiter<RateLimitKey>
{
    // Every SET expression reads the row as it was, so the window's end is compared before either changes.
    private const string TakeSql = """
        INSERT INTO abuse_counters (action, scope, subject, window_ends_at, requests)
        VALUES (@action, @scope, @subject, @ends, @permits)
        ON CONFLICT (action, scope, subject) DO UPDATE SET
            requests = CASE WHEN abuse_counters.window_ends_at <= @now THEN @permits ELSE abuse_counters.requests + @permits END,
            window_ends_at = CASE WHEN abuse_counters.window_ends_at <= @now THEN @ends ELSE abuse_counters.window_ends_at END
        RETURNING requests, window_ends_at
        """;

    private const string PeekSql = """
        SELECT requests, window_ends_at FROM abuse_counters
        WHERE action = @action AND scope = @scope AND subject = @subject AND window_ends_at > @now
        """;

    /// <summary>The subject as the table keeps it: SHA-256 of the address or account, hex.</summary>
    public static string SubjectOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public override RateLimiterStatistics? GetStatistics(RateLimitKey resource) => null;

    protected override RateLimitLease AttemptAcquireCore(RateLimitKey resource, int permitCount)
    {
        // For callers that cannot await: blocks this thread on the database. AbuseLimiter awaits AcquireAsync.
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
        var now = time.GetUtcNow();
        db.Database.OpenConnection();
        try
        {
            using var transaction = InTransaction(db, permitCount) ? db.Database.GetDbConnection().BeginTransaction() : null;
            using var command = Command(db, resource, permitCount, now, transaction);
            (long, long)? row;
            using (var reader = command.ExecuteReader())
            {
                row = reader.Read() ? (reader.GetInt64(0), reader.GetInt64(1)) : null;
            }

            transaction?.Commit();
            return Lease(resource, permitCount, now, row);
        }
        catch (DbException ex)
        {
            LogUnavailable(ex, resource.Action);
            throw;
        }
        finally
        {
            db.Database.CloseConnection();
        }
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(RateLimitKey resource, int permitCount, CancellationToken cancellationToken)
    {
        // Its own scope and connection: the count commits by itself, whatever becomes of the request's own work.
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
        var now = time.GetUtcNow();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = InTransaction(db, permitCount) ? await db.Database.GetDbConnection().BeginTransactionAsync(cancellationToken) : null;
            await using var command = Command(db, resource, permitCount, now, transaction);
            (long, long)? row;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                row = await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.GetInt64(1)) : null;
            }

            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }

            return Lease(resource, permitCount, now, row);
        }
        catch (DbException ex)
        {
            LogUnavailable(ex, resource.Action);
            throw;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// On SQLite a take runs in its own transaction, begun IMMEDIATE (Microsoft.Data.Sqlite's default): the
    /// database's write lock is held before the statement runs. Alone, the statement would commit as its
    /// last step, after its row was read, and a reader holding the file then fails it as busy, which no
    /// driver may retry once the row was read; in the transaction it is the COMMIT that waits, and
    /// COMMIT is retried until the command timeout like any plain statement. (Since the database runs in
    /// write-ahead-log mode readers no longer hold up a commit; the transaction still orders concurrent
    /// writers before the statement starts.) PostgreSQL needs none: one statement, one round trip.
    /// </summary>
    private static bool InTransaction(DvcDbContext db, int permits) => permits > 0 && db.Database.IsSqlite();

    private DbCommand Command(DvcDbContext db, RateLimitKey key, int permits, DateTimeOffset now, DbTransaction? transaction)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(permits);
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction;
        command.CommandText = permits == 0 ? PeekSql : TakeSql;
        Add(command, "@action", key.Action.ToString());
        Add(command, "@scope", key.Scope.ToString());
        Add(command, "@subject", SubjectOf(key.Key));
        Add(command, "@now", now.ToUnixTimeMilliseconds());
        if (permits > 0)
        {
            Add(command, "@ends", (now + Rule(key).Window).ToUnixTimeMilliseconds());
            Add(command, "@permits", (long)permits);
        }

        return command;
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>
    /// A take is let through when the count, this request included, is within the permits; a peek
    /// (0 permits) when fewer than the permits were counted, or the window has ended (no row).
    /// </summary>
    private CounterLease Lease(RateLimitKey key, int permits, DateTimeOffset now, (long Requests, long WindowEndsAt)? counter)
    {
        var limit = Rule(key).Permits;
        if (counter is not { } row || (permits == 0 ? row.Requests < limit : row.Requests <= limit))
        {
            return CounterLease.Acquired;
        }

        var wait = DateTimeOffset.FromUnixTimeMilliseconds(row.WindowEndsAt) - now;
        return new CounterLease(false, wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
    }

    private RateLimitRule Rule(RateLimitKey key) => options.RateLimits.RuleFor(key.Action, key.Scope);

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "The abuse counters could not be read or written for {Action}; the request is refused (fail closed).")]
    private partial void LogUnavailable(Exception exception, LimitedAction action);

    /// <summary>Nothing to give back: a window's permits come back when it ends, not when a lease is disposed.</summary>
    private sealed class CounterLease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly CounterLease Acquired = new(true, null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name ? wait : null;
            return metadata is not null;
        }
    }
}
