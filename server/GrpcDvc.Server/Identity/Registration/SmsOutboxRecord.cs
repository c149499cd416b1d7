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

    public required string Text { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary><see cref="SmsOutbox.Accepted"/> or <see cref="SmsOutbox.Refused"/>.</summary>
    public required string Status { get; set; }

    public string? Error { get; set; }
}

internal sealed class SmsOutboxRecordConfiguration : IEntityTypeConfiguration<SmsOutboxRecord>
{
    public void Configure(EntityTypeBuilder<SmsOutboxRecord> builder)
    {
        builder.ToTable("sms_outbox");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.CreatedAt).AsUtc();
        builder.HasIndex(m => m.Phone);
    }
}
