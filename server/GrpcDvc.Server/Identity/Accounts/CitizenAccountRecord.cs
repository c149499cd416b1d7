using GrpcDvc.Server.Population;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrpcDvc.Server.Identity.Accounts;

/// <summary>
/// A citizen's portal account, one per ID number. Created by the SMS flow (with a password) or
/// on first VNeID-style sign-in (no password: that citizen signs in through the issuer).
/// </summary>
public sealed class CitizenAccountRecord : ISignInAccount
{
    public Guid Id { get; set; }

    public required string IdNumber { get; set; }

    public required string FullName { get; set; }

    /// <summary>The first day <see cref="BirthDatePrecision"/> lets the birth date stand for.</summary>
    public DateOnly BirthDate { get; set; }

    /// <summary>As much of the birth date as the registry knows (old records: often the year only).</summary>
    public BirthDatePrecision BirthDatePrecision { get; set; } = BirthDatePrecision.Full;

    /// <summary>E.164; empty for accounts that came from an identity assertion.</summary>
    public string? Phone { get; set; }

    public string? PasswordHash { get; set; }

    /// <summary>0: registry-checked by SMS; 1 or 2: the last VNeID-style assertion's level.</summary>
    public int AssuranceLevel { get; set; }

    public bool Disabled { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? LastSignInAt { get; set; }

    public int FailedSignIns { get; set; }

    public int LockoutLevel { get; set; }

    public DateTime? LockedUntil { get; set; }
}

internal sealed class CitizenAccountRecordConfiguration : IEntityTypeConfiguration<CitizenAccountRecord>
{
    public void Configure(EntityTypeBuilder<CitizenAccountRecord> builder)
    {
        builder.ToTable("citizen_accounts");
        builder.HasKey(a => a.Id);
        builder.HasIndex(a => a.IdNumber).IsUnique();
        builder.Property(a => a.CreatedAt).AsUtc();
        builder.Property(a => a.LastSignInAt).AsUtc();
        builder.Property(a => a.LockedUntil).AsUtc();
    }
}
