using GrpcDvc.Server.Access;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrpcDvc.Server.Identity.Tokens;

/// <summary>
/// One refresh token, stored as the SHA-256 of its value (256 random bits need no salt or slow
/// hash: there is nothing to guess). Each use replaces it with a new one of the same family (the
/// sign-in session); presenting a used one again means it leaked, and ends the whole family.
/// </summary>
public sealed class RefreshTokenRecord
{
    public Guid Id { get; set; }

    /// <summary>The session: every token rotated from one sign-in.</summary>
    public Guid FamilyId { get; set; }

    public Guid AccountId { get; set; }

    public AccountKind AccountKind { get; set; }

    /// <summary>SHA-256 of the token, lower-case hex.</summary>
    public required string TokenHash { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    /// <summary>When the session ends however often it is refreshed.</summary>
    public DateTime FamilyExpiresAt { get; set; }

    /// <summary>Set when the token was exchanged for its successor.</summary>
    public DateTime? UsedAt { get; set; }

    public Guid? ReplacedBy { get; set; }

    public DateTime? RevokedAt { get; set; }

    /// <summary>A <see cref="RevokeReasons"/> value.</summary>
    public string? RevokedReason { get; set; }
}

public static class RevokeReasons
{
    public const string SignedOut = "signed_out";
    public const string Reused = "reused";
    public const string AccountDisabled = "account_disabled";
    public const string CredentialsChanged = "credentials_changed";
}

internal sealed class RefreshTokenRecordConfiguration : IEntityTypeConfiguration<RefreshTokenRecord>
{
    public void Configure(EntityTypeBuilder<RefreshTokenRecord> builder)
    {
        builder.ToTable("refresh_tokens");
        builder.HasKey(t => t.Id);
        builder.HasIndex(t => t.TokenHash).IsUnique();
        builder.HasIndex(t => t.FamilyId);
        builder.HasIndex(t => t.AccountId);
        builder.Property(t => t.AccountKind).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.CreatedAt).AsUtc();
        builder.Property(t => t.ExpiresAt).AsUtc();
        builder.Property(t => t.FamilyExpiresAt).AsUtc();
        builder.Property(t => t.UsedAt).AsUtc();
        builder.Property(t => t.RevokedAt).AsUtc();
    }
}
