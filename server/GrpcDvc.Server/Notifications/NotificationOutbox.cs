using GrpcDvc.Server.Storage;

namespace GrpcDvc.Server.Notifications;

/// <summary>
/// Puts a message to a citizen into the outbox, inside the caller's unit of work: it is saved with
/// the change that causes it (the caller's SaveChanges and transaction), never before, never alone.
/// </summary>
public static class NotificationOutbox
{
    public const int MaxTextLength = 1000;

    public static NotificationRecord Enqueue(DvcDbContext db, Guid accountId, string kind, string text, DateTimeOffset now)
    {
        var record = new NotificationRecord
        {
            AccountId = accountId,
            Kind = kind,
            Text = text.Length <= MaxTextLength ? text : text[..MaxTextLength],
            CreatedAt = now,
            NextAttemptAt = now,
        };
        db.Set<NotificationRecord>().Add(record);
        return record;
    }
}
