using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrpcDvc.Server.Notifications;

/// <summary>
/// A message to a citizen (table notifications), written in the transaction of the change that
/// causes it and sent later by the dispatch job through the SMS gateway: a rolled-back change sends
/// nothing, and a crash between the change and the send loses nothing.
/// </summary>
public sealed class NotificationRecord
{
    public long Id { get; set; }

    /// <summary>The citizen account; the mobile number is read from it when the message is sent.</summary>
    public Guid AccountId { get; set; }

    /// <summary>What the message is about (appointment_moved, appointment_no_show…), for reports.</summary>
    public required string Kind { get; set; }

    /// <summary>The SMS text, in Vietnamese. Never a secret: codes go through the identity outbox.</summary>
    public required string Text { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public string? GatewayMessageId { get; set; }

    public string? LastError { get; set; }

    /// <summary>Set when the dispatcher stopped trying (no mobile number, or too many refusals).</summary>
    public DateTimeOffset? GivenUpAt { get; set; }
}

internal sealed class NotificationMapping : IEntityTypeConfiguration<NotificationRecord>
{
    public void Configure(EntityTypeBuilder<NotificationRecord> builder)
    {
        builder.ToTable("notifications");
        builder.HasKey(n => n.Id);
    }
}
