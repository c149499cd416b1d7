using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Server.Access;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrpcDvc.Server.Identity.Accounts;

/// <summary>
/// An official's account: created by an administrator, bound to one agency unit and some roles,
/// signing in with a password and a TOTP code.
/// </summary>
public sealed class OfficialAccountRecord : ISignInAccount
{
    public Guid Id { get; set; }

    /// <summary>The login name, lower case.</summary>
    public required string Username { get; set; }

    public required string FullName { get; set; }

    /// <summary>The unit the official acts for (policy agency_scoped: this unit and those under it).</summary>
    public required string AgencyUnitCode { get; set; }

    public required string PasswordHash { get; set; }

    /// <summary>The TOTP seed sealed with <see cref="IdentitySecrets.Seal"/> (Data Protection, purpose totp-seed, bound to this row's id).</summary>
    public required string TotpSecretSealed { get; set; }

    /// <summary>The 30-second step of the last accepted TOTP code; codes of that step or earlier are refused.</summary>
    public long? TotpLastStep { get; set; }

    public bool Disabled { get; set; }

    public Guid CreatedBy { get; set; }

    /// <summary>The administrator's id for the request that created it: a retry gets this official back.</summary>
    public string? ClientRequestId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? LastSignInAt { get; set; }

    public int FailedSignIns { get; set; }

    public int LockoutLevel { get; set; }

    public DateTime? LockedUntil { get; set; }

    public List<OfficialRoleRecord> Roles { get; set; } = [];

    public IReadOnlyList<Role> RoleList()
        => [.. Roles.Select(r => RoleNames.TryParse(r.Role, out var role) ? role : Role.Unspecified)
            .Where(r => r != Role.Unspecified).Distinct().Order()];
}

public sealed class OfficialRoleRecord
{
    public Guid OfficialId { get; set; }

    /// <summary>A <see cref="RoleNames"/> spelling.</summary>
    public required string Role { get; set; }
}

internal sealed class OfficialAccountRecordConfiguration :
    IEntityTypeConfiguration<OfficialAccountRecord>, IEntityTypeConfiguration<OfficialRoleRecord>
{
    public void Configure(EntityTypeBuilder<OfficialAccountRecord> builder)
    {
        builder.ToTable("official_accounts");
        builder.HasKey(a => a.Id);
        builder.HasIndex(a => a.Username).IsUnique();
        builder.HasIndex(a => a.ClientRequestId).IsUnique();
        builder.Property(a => a.CreatedAt).AsUtc();
        builder.Property(a => a.LastSignInAt).AsUtc();
        builder.Property(a => a.LockedUntil).AsUtc();
        builder.HasMany(a => a.Roles).WithOne().HasForeignKey(r => r.OfficialId);
    }

    public void Configure(EntityTypeBuilder<OfficialRoleRecord> builder)
    {
        builder.ToTable("official_roles");
        builder.HasKey(r => new { r.OfficialId, r.Role });
    }
}
