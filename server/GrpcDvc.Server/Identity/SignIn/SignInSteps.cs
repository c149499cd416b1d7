using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Storage;

namespace GrpcDvc.Server.Identity.SignIn;

/// <summary>
/// The steps password sign-ins share: rate limits, lockout, the audit row. Every path stages an
/// audit row; failures save it with the lockout change, successes let the token issue save it.
/// </summary>
public sealed class SignInSteps(DvcDbContext db, AbuseLimiter limiter, SignInAudit audit, IdentityOptions options, TimeProvider time)
{
    public DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>Takes a sign-in permit for the address and login; audits and returns the refusal if there is none.</summary>
    public async Task<IdentityFailure?> LimitAsync(string method, AccountKind kind, string login, ClientContext client, CancellationToken cancellationToken)
    {
        var refused = await limiter.TryAcquireAsync(LimitedAction.SignIn, client, $"{kind}:{login}", cancellationToken);
        if (refused is not null)
        {
            await audit.RecordAsync(method, client, kind, null, login, refused.Reason, cancellationToken);
        }

        return refused;
    }

    /// <summary>A refusal that changes nothing on the account (unknown login, malformed input, disabled).</summary>
    public async Task<IdentityFailure> RefuseAsync(
        string method, AccountKind kind, Guid? accountId, string login, ClientContext client, string auditReason, IdentityFailure told, CancellationToken cancellationToken)
    {
        await audit.RecordAsync(method, client, kind, accountId, login, auditReason, cancellationToken);
        return told;
    }

    /// <summary>Refuses a locked account without looking at the credentials; null if it is not locked.</summary>
    public async Task<IdentityFailure?> RefuseIfLockedAsync(
        string method, AccountKind kind, Guid accountId, ILockable account, string login, ClientContext client, CancellationToken cancellationToken)
    {
        var lockout = account.GetLockout();
        if (!lockout.IsLocked(Now))
        {
            return null;
        }

        return await RefuseAsync(method, kind, accountId, login, client, IdentityReasons.AccountLocked,
            IdentityFailure.Locked(lockout.RemainingAt(Now)), cancellationToken);
    }

    /// <summary>A wrong credential: counts towards lockout; says "locked" if this failure locked the account.</summary>
    public async Task<IdentityFailure> FailAsync(
        string method, AccountKind kind, Guid accountId, ILockable account, string login, ClientContext client, string auditReason, CancellationToken cancellationToken)
    {
        var now = Now;
        var lockout = account.GetLockout().AfterFailure(now, options.Lockout);
        account.SetLockout(lockout);
        audit.Stage(method, client, kind, accountId, login, auditReason);
        await db.SaveChangesAsync(cancellationToken);
        return lockout.IsLocked(now) ? IdentityFailure.Locked(lockout.RemainingAt(now)) : IdentityFailure.InvalidCredentials();
    }

    /// <summary>Clears the failure streak and stages the success row; the token issue saves both.</summary>
    public void StageSuccess(string method, AccountKind kind, Guid accountId, ILockable account, string login, ClientContext client)
    {
        account.SetLockout(Lockout.AfterSuccess());
        audit.Stage(method, client, kind, accountId, login, null);
    }

    /// <summary>
    /// The steps every sign-in shares once its credentials are right: a disabled account is
    /// refused (and audited); otherwise the password hash is upgraded when due, and the success is
    /// staged for the token issue to save. Null means: issue the tokens.
    /// </summary>
    public async Task<IdentityFailure?> AcceptAsync(
        string method, AccountKind kind, ISignInAccount account, string login, ClientContext client, Action? upgradePasswordHash, CancellationToken cancellationToken)
    {
        if (account.Disabled)
        {
            return await RefuseAsync(method, kind, account.Id, login, client, IdentityReasons.AccountDisabled,
                new IdentityFailure(FailureKind.PermissionDenied, IdentityReasons.AccountDisabled, "The account is disabled."), cancellationToken);
        }

        upgradePasswordHash?.Invoke();
        account.LastSignInAt = Now;
        StageSuccess(method, kind, account.Id, account, login, client);
        return null;
    }
}
