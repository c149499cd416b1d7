using System.Security.Cryptography;
using GrpcDvc.Server.Identity.Tokens;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Identity.Registration;

/// <summary>
/// An SMS gateway that delivers into the sms_outbox table, where tests and the demo read the
/// messages a phone would have received. It behaves like an outside gateway: every message gets
/// its own id, it commits on its own (a caller's rollback does not unsend), it takes time
/// (<see cref="SmsOutboxOptions.Latency"/>) and it can refuse (<see cref="SmsOutboxOptions.FailingNumbers"/>,
/// <see cref="SmsOutboxOptions.FailureRate"/>). Refusals are kept too, with their reason.
/// </summary>
public sealed class SmsOutbox(IServiceScopeFactory scopes, IdentityOptions options, TimeProvider time) : ISmsGateway
{
    public const string Accepted = "accepted";
    public const string Refused = "refused";

    public async Task<SmsSendResult> SendAsync(string phone, string text, CancellationToken cancellationToken)
    {
        var settings = options.Sms;
        if (settings.Latency > TimeSpan.Zero)
        {
            await Task.Delay(settings.Latency, time, cancellationToken);
        }

        string? error = null;
        if (settings.FailingNumbers.Contains(phone, StringComparer.Ordinal))
        {
            error = "subscriber unreachable";
        }
        else if (settings.FailureRate > 0 && RandomNumberGenerator.GetInt32(1_000_000) < settings.FailureRate * 1_000_000)
        {
            error = "gateway timeout";
        }

        var record = new SmsOutboxRecord
        {
            MessageId = Guid.NewGuid(),
            Phone = phone,
            Text = text,
            CreatedAt = time.GetUtcNow().UtcDateTime,
            Status = error is null ? Accepted : Refused,
            Error = error,
        };
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
        db.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        return error is null ? SmsSendResult.Ok(record.MessageId.ToString("D")) : SmsSendResult.Refused(error);
    }

    /// <summary>The messages delivered to a phone, newest first (what its inbox would show).</summary>
    public async Task<IReadOnlyList<SmsOutboxRecord>> InboxAsync(string phone, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
        return await db.Set<SmsOutboxRecord>().AsNoTracking()
            .Where(m => m.Phone == phone && m.Status == Accepted)
            .OrderByDescending(m => m.Id)
            .ToListAsync(cancellationToken);
    }
}
