using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrpcDvc.Server.Identity.SignIn;

/// <summary>
/// One sign-in attempt, successful or not, or one administrator's change to an official's account,
/// as the sign_in_audit table keeps it.
/// </summary>
public sealed class SignInAuditRecord
{
    public long Id { get; set; }

    public DateTime OccurredAt { get; set; }

    /// <summary>"citizen" or "official"; null when not even the kind is known.</summary>
    public string? AccountKind { get; set; }

    /// <summary>The account, when the login name matched one.</summary>
    public Guid? AccountId { get; set; }

    /// <summary>The login as typed (ID number, username or assertion subject), cut to 64 characters.</summary>
    public string? Login { get; set; }

    /// <summary>A <see cref="SignInMethods"/> value.</summary>
    public required string Method { get; set; }

    public bool Succeeded { get; set; }

    /// <summary>Why it failed, an <see cref="IdentityReasons"/> code — the precise one, even where the caller was told less.</summary>
    public string? Reason { get; set; }

    public string? Address { get; set; }

    public string? UserAgent { get; set; }

    /// <summary>Changes only: the administrator who made the change.</summary>
    public Guid? ActorAccountId { get; set; }

    /// <summary>Changes only: the administrator's username.</summary>
    public string? ActorLogin { get; set; }

    /// <summary>Changes only: what changed (roles before and after); never a secret.</summary>
    public string? Detail { get; set; }

    /// <summary>Re-enrolments only: the administrator's request id, by which a retry is recognised.</summary>
    public string? ClientRequestId { get; set; }
}

public static class SignInMethods
{
    public const string Password = "password";
    public const string PasswordAndTotp = "password_totp";
    public const string IdentityAssertion = "identity_assertion";
    public const string Registration = "registration";
    public const string Refresh = "refresh";

    /// <summary>An official was created: by an administrator, by the first start's bootstrap, or as a demo official (no actor).</summary>
    public const string OfficialCreated = "official_created";

    /// <summary>An administrator replaced an official's roles.</summary>
    public const string OfficialRolesSet = "official_roles_set";

    public const string OfficialDisabled = "official_disabled";

    public const string OfficialEnabled = "official_enabled";

    /// <summary>An administrator gave an official a new TOTP seed.</summary>
    public const string OfficialTotpReenrolled = "official_totp_reenrolled";
}

internal sealed class SignInAuditRecordConfiguration : IEntityTypeConfiguration<SignInAuditRecord>
{
    public void Configure(EntityTypeBuilder<SignInAuditRecord> builder)
    {
        builder.ToTable("sign_in_audit");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.OccurredAt).AsUtc();
        builder.HasIndex(a => a.AccountId);
        builder.HasIndex(a => a.OccurredAt);
        builder.HasIndex(a => new { a.AccountId, a.ClientRequestId }).IsUnique();
    }
}
