using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrpcDvc.Server.Jobs;

/// <summary>One run of a scheduled job on some instance (table job_runs, M0170), written by <see cref="JobRunRecorder"/>.</summary>
public sealed class JobRunRecord
{
    /// <summary>Characters of a failure's message kept: enough to tell failures apart, never a whole stack.</summary>
    public const int ErrorLength = 1000;

    public long Id { get; set; }

    public required string JobGroup { get; set; }

    public required string JobName { get; set; }

    public required string TriggerGroup { get; set; }

    public required string TriggerName { get; set; }

    /// <summary>The Quartz instance id of the server that ran it (clustered: generated per process start).</summary>
    public required string InstanceId { get; set; }

    /// <summary>Quartz's id of this one firing, unique across the cluster: a firing is recorded once.</summary>
    public required string FireInstanceId { get; set; }

    /// <summary>The time the trigger was due; with a misfire fired "now" it is the rescheduled time.</summary>
    public DateTimeOffset ScheduledFireAt { get; set; }

    public DateTimeOffset FiredAt { get; set; }

    public long DurationMs { get; set; }

    public bool Succeeded { get; set; }

    /// <summary>The failure's type and message, cut at <see cref="ErrorLength"/>; null when it succeeded.</summary>
    public string? Error { get; set; }

    /// <summary>When the trigger fires next, as it stood after this run; null when it will not fire again.</summary>
    public DateTimeOffset? NextFireAt { get; set; }

    /// <summary>A rerun of a firing whose instance died while running it (the job requests recovery).</summary>
    public bool Recovering { get; set; }
}

internal sealed class JobRunRecordConfiguration : IEntityTypeConfiguration<JobRunRecord>
{
    public void Configure(EntityTypeBuilder<JobRunRecord> builder)
    {
        builder.ToTable("job_runs");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Error).HasMaxLength(JobRunRecord.ErrorLength);
        builder.HasIndex(r => r.FireInstanceId).IsUnique();
        builder.HasIndex(r => r.FiredAt);
    }
}
