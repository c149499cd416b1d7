using GrpcDvc.Server.Access;
using GrpcDvc.Server.Storage;

namespace GrpcDvc.Server.Identity.SignIn;

/// <summary>
/// Stages a sign_in_audit row in the use case's context, so it commits in the same SaveChanges
/// as the account changes it describes (lockout counters, last sign-in).
/// </summary>
public sealed class SignInAudit(DvcDbContext db, TimeProvider time)
{
    private const int MaxLogin = 64;
    private const int MaxUserAgent = 256;

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

    /// <summary>Stages the row and saves at once: for failures that change nothing else.</summary>
    public async Task RecordAsync(string method, ClientContext client, AccountKind? kind, Guid? accountId, string? login, string? failureReason, CancellationToken cancellationToken)
    {
        Stage(method, client, kind, accountId, login, failureReason);
        await db.SaveChangesAsync(cancellationToken);
    }

    private static string? Cut(string? value, int max) => value is { Length: > 0 } && value.Length > max ? value[..max] : value;
}
