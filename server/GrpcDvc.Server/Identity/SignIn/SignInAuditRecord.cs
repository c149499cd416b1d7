using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrpcDvc.Server.Identity.SignIn;

/// <summary>One sign-in attempt, successful or not, as the sign_in_audit table keeps it.</summary>
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
}

public static class SignInMethods
{
    public const string Password = "password";
    public const string PasswordAndTotp = "password_totp";
    public const string IdentityAssertion = "identity_assertion";
    public const string Registration = "registration";
    public const string Refresh = "refresh";
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
    }
}
