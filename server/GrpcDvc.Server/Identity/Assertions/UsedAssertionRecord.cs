using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrpcDvc.Server.Identity.Assertions;

/// <summary>An assertion seen, by issuer and jti, kept until it could no longer validate (its table mapping).</summary>
public sealed class UsedAssertionRecord
{
    public required string Issuer { get; set; }

    public required string TokenId { get; set; }

    public DateTime ExpiresAt { get; set; }
}

internal sealed class UsedAssertionRecordConfiguration : IEntityTypeConfiguration<UsedAssertionRecord>
{
    public void Configure(EntityTypeBuilder<UsedAssertionRecord> builder)
    {
        builder.ToTable("used_assertions");
        builder.HasKey(s => new { s.Issuer, s.TokenId });
        builder.Property(s => s.ExpiresAt).AsUtc();
        builder.HasIndex(s => s.ExpiresAt);
    }
}
