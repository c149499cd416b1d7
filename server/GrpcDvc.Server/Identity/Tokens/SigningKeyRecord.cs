using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrpcDvc.Server.Identity.Tokens;

/// <summary>
/// One access-token signing key of the ring. A key is published before it signs
/// (<see cref="ActivatesAt"/>), signs until the next one activates (<see cref="RetiresAt"/>),
/// and is still accepted for validation until every token it signed has expired.
/// </summary>
public sealed class SigningKeyRecord
{
    /// <summary>The JWT "kid" header of tokens it signs.</summary>
    public required string KeyId { get; set; }

    /// <summary>"ES256" (ECDSA P-256 with SHA-256).</summary>
    public required string Algorithm { get; set; }

    /// <summary>SubjectPublicKeyInfo, base64.</summary>
    public required string PublicKey { get; set; }

    /// <summary>PKCS#8 private key sealed with <see cref="IdentitySecrets.Seal"/> (purpose signing-key), bound to <see cref="KeyId"/>.</summary>
    public required string PrivateKeySealed { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ActivatesAt { get; set; }

    public DateTime? RetiresAt { get; set; }
}

internal sealed class SigningKeyRecordConfiguration : IEntityTypeConfiguration<SigningKeyRecord>
{
    public void Configure(EntityTypeBuilder<SigningKeyRecord> builder)
    {
        builder.ToTable("signing_keys");
        builder.HasKey(k => k.KeyId);
        builder.Property(k => k.CreatedAt).AsUtc();
        builder.Property(k => k.ActivatesAt).AsUtc();
        builder.Property(k => k.RetiresAt).AsUtc();
    }
}
