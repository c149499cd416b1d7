using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Identity.Tokens;

/// <summary>
/// Sessions revoked while their access tokens may still be live. Access tokens are checked
/// without the database, so without this a signed-out session's token would work until it
/// expired. The list is short: only revocations younger than one access-token lifetime (plus
/// skew) matter, since older sessions' tokens have expired anyway. It is reread every
/// <see cref="IdentityOptions.RevocationRefreshInterval"/> (revocations on other instances), and
/// at once after a revocation on this one (<see cref="MarkStale"/>).
/// </summary>
public sealed class RevokedSessions(IServiceScopeFactory scopes, IdentityOptions options, TimeProvider time)
{
    private readonly Lock _reload = new();
    private volatile Snapshot? _snapshot;

    public bool IsRevoked(Guid sessionId) => Current().Sessions.Contains(sessionId);

    /// <summary>A session was revoked here: the next check rereads the list.</summary>
    public void MarkStale() => _snapshot = null;

    private Snapshot Current()
    {
        var snapshot = _snapshot;
        if (snapshot is not null && Now - snapshot.LoadedAt < options.RevocationRefreshInterval)
        {
            return snapshot;
        }

        lock (_reload)
        {
            snapshot = _snapshot;
            if (snapshot is not null && Now - snapshot.LoadedAt < options.RevocationRefreshInterval)
            {
                return snapshot;
            }

            // Synchronous, like the reader that needs it; an indexed range on revoked_at.
            var loadedAt = Now;
            var since = loadedAt - options.AccessTokenLifetime - options.ClockSkew;
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
            var sessions = db.Set<RefreshTokenRecord>().AsNoTracking()
                .Where(t => t.RevokedAt != null && t.RevokedAt > since)
                .Select(t => t.FamilyId).Distinct().ToHashSet();
            snapshot = new Snapshot(sessions, loadedAt);
            _snapshot = snapshot;
            return snapshot;
        }
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private sealed record Snapshot(HashSet<Guid> Sessions, DateTime LoadedAt);
}
