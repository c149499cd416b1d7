using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrpcDvc.Server.Identity.SignIn;

/// <summary>
/// One counter of <see cref="AbuseCounters"/>: the requests one address or account made for one
/// action in its current window, shared by every instance on the database.
/// </summary>
public sealed class AbuseCounterRecord
{
    /// <summary>A <see cref="LimitedAction"/> name.</summary>
    public required string Action { get; set; }

    /// <summary>A <see cref="RateLimitScope"/> name.</summary>
    public required string Scope { get; set; }

    /// <summary>
    /// SHA-256 (hex) of the address or account: fixed width whatever a client sends as a login,
    /// and no address or ID number kept in clear beside the sign-in audit that already has them.
    /// </summary>
    public required string Subject { get; set; }

    /// <summary>When the window ends and the count starts again; a row past it counts as no row (and is purged).</summary>
    public DateTimeOffset WindowEndsAt { get; set; }

    /// <summary>Requests counted in the window, the refused ones included; those up to the rule's permits were let through.</summary>
    public long Requests { get; set; }
}

internal sealed class AbuseCounterRecordConfiguration : IEntityTypeConfiguration<AbuseCounterRecord>
{
    public void Configure(EntityTypeBuilder<AbuseCounterRecord> builder)
    {
        builder.ToTable("abuse_counters");
        builder.HasKey(c => new { c.Action, c.Scope, c.Subject });
        builder.HasIndex(c => c.WindowEndsAt);
    }
}
