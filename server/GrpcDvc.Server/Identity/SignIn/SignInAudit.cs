using GrpcDvc.Server.Access;
using GrpcDvc.Server.Storage;

namespace GrpcDvc.Server.Identity.SignIn;

/// <summary>An administrator's change to an official, as the audit keeps it: who did it, to whom, what (never a secret).</summary>
public sealed record AuditedChange(Guid ActorId, string ActorLogin, Guid OfficialId, string OfficialLogin, string? Detail, string? ClientRequestId);

/// <summary>
/// Stages a sign_in_audit row in the use case's context, so it commits in the same SaveChanges
/// as the account changes it describes (lockout counters, last sign-in, an administrator's change).
/// </summary>
public sealed class SignInAudit(DvcDbContext db, TimeProvider time)
{
    private const int MaxLogin = 64;
    private const int MaxUserAgent = 256;
    private const int MaxDetail = 200;

    public void Stage(string method, ClientContext client, AccountKind? kind, Guid? accountId, string? login, string? failureReason)
        => db.Add(new SignInAuditRecord
        {
            OccurredAt = time.GetUtcNow().UtcDateTime,
            Method = method,
            AccountKind = kind switch
            {
                AccountKind.Citizen => "citizen",
                AccountKind.Official => "official",
                _ => null,
            },
            AccountId = accountId,
            Login = Cut(login, MaxLogin),
            Succeeded = failureReason is null,
            Reason = failureReason,
            Address = Cut(client.Address, 64),
            UserAgent = Cut(client.UserAgent, MaxUserAgent),
        });

    /// <summary>Stages the row of an administrator's change; the change's own SaveChanges commits it.</summary>
    public void StageChange(string method, ClientContext client, AuditedChange change)
        => db.Add(new SignInAuditRecord
        {
            OccurredAt = time.GetUtcNow().UtcDateTime,
            Method = method,
            AccountKind = "official",
            AccountId = change.OfficialId,
            Login = Cut(change.OfficialLogin, MaxLogin),
            Succeeded = true,
            Address = Cut(client.Address, 64),
            UserAgent = Cut(client.UserAgent, MaxUserAgent),
            // The system (first start's bootstrap, demo seeding) acts as nobody.
            ActorAccountId = change.ActorId == Guid.Empty ? null : change.ActorId,
            ActorLogin = Cut(change.ActorLogin, MaxLogin),
            Detail = Cut(change.Detail, MaxDetail),
            ClientRequestId = change.ClientRequestId,
        });

    /// <summary>Stages the row and saves at once: for failures that change nothing else.</summary>
    public async Task RecordAsync(string method, ClientContext client, AccountKind? kind, Guid? accountId, string? login, string? failureReason, CancellationToken cancellationToken)
    {
        Stage(method, client, kind, accountId, login, failureReason);
        await db.SaveChangesAsync(cancellationToken);
    }

    private static string? Cut(string? value, int max) => value?.Length > max ? value[..max] : value;
}
