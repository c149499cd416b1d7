using GrpcDvc.Server.Population;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrpcDvc.Server.Identity.Registration;

/// <summary>
/// A one-time code sent by SMS, with what it will confirm (today: a registration's details).
/// The code is stored sealed (<see cref="IdentitySecrets.SealOtpCode"/>); a resend replaces it and restarts the expiry but keeps
/// the attempt count, so resending never buys more guesses.
/// </summary>
public sealed class OtpChallengeRecord
{
    public Guid Id { get; set; }

    /// <summary>What the code confirms, e.g. <see cref="OtpPurposes.Registration"/>.</summary>
    public required string Purpose { get; set; }

    public required string Phone { get; set; }

    public required string IdNumber { get; set; }

    public required string FullName { get; set; }

    /// <summary>The first day <see cref="BirthDatePrecision"/> lets the registry's birth date stand for.</summary>
    public DateOnly BirthDate { get; set; }

    public BirthDatePrecision BirthDatePrecision { get; set; } = BirthDatePrecision.Full;

    /// <summary>The client's id for the request that started it: a retry gets this challenge back.</summary>
    public string? ClientRequestId { get; set; }

    /// <summary>The code sent last, sealed for this challenge; empty until the first send.</summary>
    public string CodeSealed { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    public DateTime LastSentAt { get; set; }

    public int SendCount { get; set; }

    /// <summary>Codes tried so far; at <see cref="OtpOptions.MaxAttempts"/> the challenge is dead.</summary>
    public int Attempts { get; set; }

    public DateTime? ConsumedAt { get; set; }
}

public static class OtpPurposes
{
    public const string Registration = "registration";
}

/// <summary>One SMS sent with a code: the per-phone resend throttle counts these.</summary>
public sealed class OtpSendRecord
{
    public long Id { get; set; }

    public required string Phone { get; set; }

    public Guid ChallengeId { get; set; }

    public DateTime SentAt { get; set; }
}

internal sealed class OtpChallengeRecordConfiguration :
    IEntityTypeConfiguration<OtpChallengeRecord>, IEntityTypeConfiguration<OtpSendRecord>
{
    public void Configure(EntityTypeBuilder<OtpChallengeRecord> builder)
    {
        builder.ToTable("otp_challenges");
        builder.HasKey(c => c.Id);
        builder.HasIndex(c => c.ClientRequestId).IsUnique();
        builder.Property(c => c.CreatedAt).AsUtc();
        builder.Property(c => c.ExpiresAt).AsUtc();
        builder.Property(c => c.LastSentAt).AsUtc();
        builder.Property(c => c.ConsumedAt).AsUtc();
    }

    public void Configure(EntityTypeBuilder<OtpSendRecord> builder)
    {
        builder.ToTable("otp_sends");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.SentAt).AsUtc();
        builder.HasIndex(s => new { s.Phone, s.SentAt });
    }
}
