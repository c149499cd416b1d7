using System.Security.Cryptography;
using System.Text;
using GrpcDvc.Server.Identity.Secrets;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Identity.Registration;

/// <summary>
/// An SMS gateway that delivers into the sms_outbox table, where tests and the demo read the
/// messages a phone would have received. It behaves like an outside gateway: every message gets
/// its own id, it commits on its own (a caller's rollback does not unsend), it takes time
/// (<see cref="SmsOutboxOptions.Latency"/>) and it can refuse (<see cref="SmsOutboxOptions.FailingNumbers"/>,
/// <see cref="SmsOutboxOptions.FailureRate"/>). Refusals are kept too, with their reason.
/// The texts carry one-time codes, so they are kept sealed (<see cref="IdentitySecrets"/>) and
/// only while the code lives: this outbox never hands a message on, so its code's expiry is the
/// end of the message, and every send and every read first erases the texts that reached it.
/// A refused message keeps no text at all.
/// </summary>
public sealed class SmsOutbox(IServiceScopeFactory scopes, IdentityOptions options, IdentitySecrets secrets, TimeProvider time) : ISmsGateway
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

        var now = time.GetUtcNow().UtcDateTime;
        var messageId = Guid.NewGuid();
        var record = new SmsOutboxRecord
        {
            MessageId = messageId,
            Phone = phone,
            TextSealed = error is null ? secrets.Seal(SecretKind.SmsText, Encoding.UTF8.GetBytes(text), BoundTo(messageId)) : null,
            CreatedAt = now,
            ExpiresAt = now + options.Otp.Lifetime,
            Status = error is null ? Accepted : Refused,
            Error = error,
        };
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
        await EraseExpiredAsync(db, now, cancellationToken);
        db.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        return error is null ? SmsSendResult.Ok(messageId.ToString("D")) : SmsSendResult.Refused(error);
    }

    /// <summary>The messages delivered to a phone, newest first (what its inbox would show); a text past its code's life reads as null.</summary>
    public async Task<IReadOnlyList<SmsInboxMessage>> InboxAsync(string phone, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
        await EraseExpiredAsync(db, time.GetUtcNow().UtcDateTime, cancellationToken);
        var rows = await db.Set<SmsOutboxRecord>().AsNoTracking()
            .Where(m => m.Phone == phone && m.Status == Accepted)
            .OrderByDescending(m => m.Id)
            .ToListAsync(cancellationToken);
        return [.. rows.Select(m => new SmsInboxMessage(m.MessageId, m.Phone, Open(m), m.CreatedAt))];
    }

    private static Task<int> EraseExpiredAsync(DvcDbContext db, DateTime now, CancellationToken cancellationToken)
        => db.Set<SmsOutboxRecord>()
            .Where(m => m.TextSealed != null && m.ExpiresAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.TextSealed, (string?)null), cancellationToken);

    private string? Open(SmsOutboxRecord message)
    {
        if (message.TextSealed is null)
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(secrets.Unseal(SecretKind.SmsText, message.TextSealed, BoundTo(message.MessageId)));
        }
        catch (CryptographicException)
        {
            return null; // sealed under a key ring that is gone: as good as erased
        }
    }

    private static string BoundTo(Guid messageId) => messageId.ToString("N");
}
