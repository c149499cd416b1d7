using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.SignIn;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace GrpcDvc.Server.Identity.Tokens;

/// <summary>
/// Sign-in sessions: issues access + refresh tokens, rotates refresh tokens, detects their reuse,
/// revokes on sign-out, validates access tokens. Refresh re-reads the account, so a disabled
/// account or changed roles take effect at the next refresh (at most one access-token lifetime).
/// </summary>
public sealed class TokenService(DvcDbContext db, AccessTokenCodec codec, SignInAudit audit, IdentityOptions options, TimeProvider time)
{
    private const int RefreshTokenBytes = 32;

    /// <summary>
    /// Starts a session for the account. Saves the context: whatever the calling use case staged
    /// (lockout reset, audit row) commits in the same SaveChanges as the refresh token.
    /// </summary>
    public async Task<SignedIn> IssueAsync(CitizenAccountRecord account, CancellationToken cancellationToken)
        => await StartSessionAsync(sid => Callers.For(account, sid), null, cancellationToken);

    /// <summary>
    /// As <see cref="IssueAsync(CitizenAccountRecord, CancellationToken)"/> inside the use case's
    /// <paramref name="transaction"/>, which commits once the session is saved and before the access token is
    /// signed: signing may write the key ring through a connection of its own, which an open transaction
    /// would block on SQLite (one writer at a time) until its busy timeout.
    /// </summary>
    public async Task<SignedIn> IssueAsync(CitizenAccountRecord account, IDbContextTransaction transaction, CancellationToken cancellationToken)
        => await StartSessionAsync(sid => Callers.For(account, sid), transaction, cancellationToken);

    /// <inheritdoc cref="IssueAsync(CitizenAccountRecord, CancellationToken)"/>
    public async Task<SignedIn> IssueAsync(OfficialAccountRecord account, CancellationToken cancellationToken)
        => await StartSessionAsync(sid => Callers.For(account, sid), null, cancellationToken);

    /// <summary>Exchanges a refresh token for a new pair; the presented token is used up.</summary>
    public async Task<IdentityResult<SignedIn>> RefreshAsync(string? refreshToken, ClientContext client, CancellationToken cancellationToken)
    {
        var now = Now;
        var hash = Hash(refreshToken);
        var row = hash is null ? null : await db.Set<RefreshTokenRecord>().FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (row is null)
        {
            return Failure(IdentityReasons.RefreshTokenInvalid, "The refresh token is not valid.");
        }

        if (row.UsedAt is not null)
        {
            return await ReusedAsync(row, client, cancellationToken);
        }

        if (row.RevokedAt is not null)
        {
            return Revoked();
        }

        if (now >= row.ExpiresAt)
        {
            return Failure(IdentityReasons.RefreshTokenExpired, "The session has expired; sign in again.");
        }

        var caller = await CallerAsync(row, cancellationToken);
        if (caller is null)
        {
            await RevokeFamilyAsync(row.FamilyId, RevokeReasons.AccountDisabled, cancellationToken);
            return new IdentityFailure(FailureKind.PermissionDenied, IdentityReasons.AccountDisabled, "The account is disabled.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Claim the token atomically: of two concurrent refreshes with one token, one wins and the other is reuse.
        // The session must have no revoked token at all, not just this one: a sign-out whose update ran while a
        // refresh held the row revoked the rows it saw, not the successor inserted at that moment, which would
        // otherwise keep the signed-out session alive.
        var familyId = row.FamilyId;
        var claimed = await db.Set<RefreshTokenRecord>()
            .Where(t => t.Id == row.Id && t.UsedAt == null && t.RevokedAt == null
                        && !db.Set<RefreshTokenRecord>().Any(f => f.FamilyId == familyId && f.RevokedAt != null))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), cancellationToken);
        if (claimed == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            // Refused: the session was signed out (no alarm), or another refresh used this token first (reuse).
            return await FamilyRevokedAsync(familyId, cancellationToken) ? Revoked() : await ReusedAsync(row, client, cancellationToken);
        }

        var (token, successor) = NewRefreshToken(row.FamilyId, row.AccountId, row.AccountKind, row.FamilyExpiresAt, now);
        row.ReplacedBy = successor.Id;
        row.UsedAt = now;
        db.Add(successor);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var (access, accessExpires) = await codec.CreateAsync(caller, cancellationToken);
        return IdentityResult<SignedIn>.Ok(new SignedIn(caller, new TokenPair(access, accessExpires, token, successor.ExpiresAt)));
    }

    /// <summary>Sign-out: ends the session the refresh token belongs to. False if the token is unknown.</summary>
    public async Task<bool> RevokeAsync(string? refreshToken, CancellationToken cancellationToken)
    {
        var hash = Hash(refreshToken);
        var familyId = hash is null ? null : await db.Set<RefreshTokenRecord>().AsNoTracking()
            .Where(t => t.TokenHash == hash).Select(t => (Guid?)t.FamilyId).FirstOrDefaultAsync(cancellationToken);
        if (familyId is null)
        {
            return false;
        }

        await RevokeFamilyAsync(familyId.Value, RevokeReasons.SignedOut, cancellationToken);
        return true;
    }

    /// <summary>Ends every session of an account (disabled, password or roles changed).</summary>
    public Task<int> RevokeAllAsync(Guid accountId, string reason, CancellationToken cancellationToken)
    {
        var now = Now;
        return db.Set<RefreshTokenRecord>().Where(t => t.AccountId == accountId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now).SetProperty(t => t.RevokedReason, reason), cancellationToken);
    }

    public Task<IdentityResult<CallerIdentity>> ValidateAccessTokenAsync(string? accessToken, CancellationToken cancellationToken)
        => codec.ValidateAsync(accessToken, cancellationToken);

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private async Task<SignedIn> StartSessionAsync(Func<Guid, CallerIdentity> callerFor, IDbContextTransaction? transaction, CancellationToken cancellationToken)
    {
        var now = Now;
        var caller = callerFor(Guid.NewGuid());
        var (token, record) = NewRefreshToken(caller.SessionId, caller.AccountId, caller.Kind, now + options.SessionMaxLifetime, now);
        db.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        var (access, accessExpires) = await codec.CreateAsync(caller, cancellationToken);
        return new SignedIn(caller, new TokenPair(access, accessExpires, token, record.ExpiresAt));
    }

    private (string Token, RefreshTokenRecord Record) NewRefreshToken(Guid familyId, Guid accountId, AccountKind kind, DateTime familyExpiresAt, DateTime now)
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(RefreshTokenBytes));
        var expires = now + options.RefreshTokenLifetime;
        return (token, new RefreshTokenRecord
        {
            Id = Guid.NewGuid(),
            FamilyId = familyId,
            AccountId = accountId,
            AccountKind = kind,
            TokenHash = Hash(token)!,
            CreatedAt = now,
            ExpiresAt = expires < familyExpiresAt ? expires : familyExpiresAt,
            FamilyExpiresAt = familyExpiresAt,
        });
    }

    private async Task<CallerIdentity?> CallerAsync(RefreshTokenRecord row, CancellationToken cancellationToken)
    {
        if (row.AccountKind == AccountKind.Citizen)
        {
            var citizen = await db.Set<CitizenAccountRecord>().AsNoTracking().FirstOrDefaultAsync(a => a.Id == row.AccountId, cancellationToken);
            return citizen is { Disabled: false } ? Callers.For(citizen, row.FamilyId) : null;
        }

        var official = await db.Set<OfficialAccountRecord>().AsNoTracking().Include(a => a.Roles)
            .FirstOrDefaultAsync(a => a.Id == row.AccountId, cancellationToken);
        return official is { Disabled: false } ? Callers.For(official, row.FamilyId) : null;
    }

    private async Task<IdentityFailure> ReusedAsync(RefreshTokenRecord row, ClientContext client, CancellationToken cancellationToken)
    {
        await RevokeFamilyAsync(row.FamilyId, RevokeReasons.Reused, cancellationToken);
        db.ChangeTracker.Clear();
        await audit.RecordAsync(SignInMethods.Refresh, client, row.AccountKind, row.AccountId, null, IdentityReasons.RefreshTokenReused, cancellationToken);
        return Failure(IdentityReasons.RefreshTokenReused, "This refresh token was already used; the session has been ended for safety.");
    }

    private Task<int> RevokeFamilyAsync(Guid familyId, string reason, CancellationToken cancellationToken)
    {
        var now = Now;
        return db.Set<RefreshTokenRecord>().Where(t => t.FamilyId == familyId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now).SetProperty(t => t.RevokedReason, reason), cancellationToken);
    }

    /// <summary>Whether any token of the session was revoked (read only after a refused claim).</summary>
    private Task<bool> FamilyRevokedAsync(Guid familyId, CancellationToken cancellationToken)
        => db.Set<RefreshTokenRecord>().AnyAsync(t => t.FamilyId == familyId && t.RevokedAt != null, cancellationToken);

    private static IdentityFailure Revoked() => Failure(IdentityReasons.RefreshTokenRevoked, "The session has ended; sign in again.");

    private static string? Hash(string? token)
        => string.IsNullOrEmpty(token) || token.Length > 128 ? null : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static IdentityFailure Failure(string reason, string message) => new(FailureKind.Unauthenticated, reason, message);
}
