using System.Collections.Frozen;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Identity.Tokens;

/// <summary>
/// Sessions revoked while their access tokens may still be live. Access tokens are checked
/// without the database, so without this a signed-out session's token would work until it
/// expired. The list is short: only revocations younger than one access-token lifetime (plus
/// skew) matter, since older sessions' tokens have expired anyway.
/// </summary>
/// <remarks>
/// Every token check reads it, so readers never take a lock and never wait for the database
/// while a list is loaded: the list is an immutable snapshot swapped atomically. When it is older
/// than <see cref="IdentityOptions.RevocationRefreshInterval"/> (revocations on other instances),
/// one reread starts in the background and checks go on answering from the snapshot they have;
/// a slow database delays only how soon other instances' revocations are seen. After a revocation
/// on this instance (<see cref="MarkStale"/>) the snapshot is dropped and checks await one shared
/// reread begun after it, so that revocation applies at once.
/// </remarks>
public sealed partial class RevokedSessions(IServiceScopeFactory scopes, IdentityOptions options, TimeProvider time, ILogger<RevokedSessions> logger)
{
    // One reference holds both the snapshot and the revocation generation it belongs to, so a
    // reread that began before a revocation can never install its (older) list after it.
    private State _state = new(null, 0);
    private Reread? _reread;

    public async ValueTask<bool> IsRevokedAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        var state = Volatile.Read(ref _state);
        if (state.Snapshot is not { } snapshot)
        {
            snapshot = await RereadAsync(state.Generation).WaitAsync(cancellationToken);
        }
        else if (Now - snapshot.LoadedAt >= options.RevocationRefreshInterval)
        {
            // Answer from what we have; the failure of a background reread is logged and the next check retries.
            _ = RereadAsync(state.Generation);
        }

        return snapshot.Sessions.Contains(sessionId);
    }

    /// <summary>A session was revoked here: checks from now on wait for a list read after it.</summary>
    public void MarkStale()
    {
        State current;
        do
        {
            current = Volatile.Read(ref _state);
        }
        while (Interlocked.CompareExchange(ref _state, new State(null, current.Generation + 1), current) != current);
    }

    /// <summary>The reread in flight for this generation, or a new one: concurrent callers share one query.</summary>
    private Task<Snapshot> RereadAsync(long generation)
    {
        while (true)
        {
            var running = Volatile.Read(ref _reread);
            if (running is not null && running.Generation >= generation && !running.Loading.IsCompleted)
            {
                return running.Loading;
            }

            var started = new TaskCompletionSource<Snapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (Interlocked.CompareExchange(ref _reread, new Reread(started.Task, generation), running) == running)
            {
                _ = LoadAsync(started, generation);
                return started.Task;
            }
        }
    }

    private async Task LoadAsync(TaskCompletionSource<Snapshot> result, long generation)
    {
        try
        {
            var snapshot = await QueryAsync();
            Install(snapshot, generation);
            result.SetResult(snapshot);
        }
#pragma warning disable CA1031 // Whatever failed, checks keep the snapshot they have and the next one retries.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.RereadFailed(logger, e);
            result.SetException(e);
            // Observed here, so a background reread nobody awaits does not surface as an unobserved exception.
            _ = result.Task.Exception;
        }
    }

    private void Install(Snapshot snapshot, long generation)
    {
        while (true)
        {
            var current = Volatile.Read(ref _state);
            var newer = current.Snapshot is { } installed && installed.LoadedAt >= snapshot.LoadedAt;
            if (current.Generation != generation || newer
                || Interlocked.CompareExchange(ref _state, new State(snapshot, generation), current) == current)
            {
                return;
            }
        }
    }

    private async Task<Snapshot> QueryAsync()
    {
        // An indexed range on revoked_at.
        var loadedAt = Now;
        var since = loadedAt - options.AccessTokenLifetime - options.ClockSkew;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
        var sessions = await db.Set<RefreshTokenRecord>().AsNoTracking()
            .Where(t => t.RevokedAt != null && t.RevokedAt > since)
            .Select(t => t.FamilyId).Distinct().ToListAsync();
        return new Snapshot(sessions.ToFrozenSet(), loadedAt);
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private sealed record Snapshot(FrozenSet<Guid> Sessions, DateTime LoadedAt);

    private sealed record State(Snapshot? Snapshot, long Generation);

    private sealed record Reread(Task<Snapshot> Loading, long Generation);

    private static partial class Log
    {
        [LoggerMessage(EventId = 320, Level = LogLevel.Warning, Message = "Rereading the revoked sessions failed; token checks keep the list they have and the next one retries.")]
        public static partial void RereadFailed(ILogger logger, Exception exception);
    }
}
