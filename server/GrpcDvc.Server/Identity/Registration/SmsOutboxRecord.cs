using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrpcDvc.Server.Identity.Registration;

/// <summary>One message handed to the <see cref="SmsOutbox"/>, delivered or refused.</summary>
public sealed class SmsOutboxRecord
{
    /// <summary>Insertion order: messages sent in the same instant still read back in sequence.</summary>
    public long Id { get; set; }

    /// <summary>The gateway's id for the message, as a real gateway returns one.</summary>
    public Guid MessageId { get; set; }

    public required string Phone { get; set; }

    /// <summary>
    /// The text sealed with Data Protection (<see cref="Secrets.SecretKind.SmsText"/>, bound to
    /// <see cref="MessageId"/>): it carries a live one-time code, which a database dump must not
    /// yield. Null once erased (at <see cref="ExpiresAt"/>) and for refused messages, whose code
    /// was never valid.
    /// </summary>
    public string? TextSealed { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>When the code in the text stops working; the text is erased from then on.</summary>
    public DateTime ExpiresAt { get; set; }

    /// <summary><see cref="SmsOutbox.Accepted"/> or <see cref="SmsOutbox.Refused"/>.</summary>
    public required string Status { get; set; }

    public string? Error { get; set; }
}

/// <summary>A message as the recipient's phone shows it; <see cref="Text"/> is null once the outbox erased it.</summary>
public sealed record SmsInboxMessage(Guid MessageId, string Phone, string? Text, DateTime CreatedAt);

internal sealed class SmsOutboxRecordConfiguration : IEntityTypeConfiguration<SmsOutboxRecord>
{
    public void Configure(EntityTypeBuilder<SmsOutboxRecord> builder)
    {
        builder.ToTable("sms_outbox");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.CreatedAt).AsUtc();
        builder.Property(m => m.ExpiresAt).AsUtc();
        builder.HasIndex(m => m.Phone);
    }
}
