using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrpcDvc.Server.Population.Persistence;

/// <summary>A stay (lưu trú) notified for a citizen: where and from when (table stay_records, migration M0140).</summary>
public sealed class StayRecordRow
{
    public long Id { get; set; }

    public long CitizenId { get; set; }

    public required string IdNumber { get; set; }

    /// <summary>The commune of the stay, as it is today.</summary>
    public int UnitId { get; set; }

    public required string Address { get; set; }

    public DateOnly FromDate { get; set; }

    public DateOnly? ToDate { get; set; }

    /// <summary>The dossier (thông báo lưu trú) that recorded it.</summary>
    public Guid DossierId { get; set; }

    public DateTimeOffset RecordedAt { get; set; }
}

/// <summary>A temporary absence (tạm vắng) declared by a citizen (table temporary_absences, migration M0140).</summary>
public sealed class TemporaryAbsenceRow
{
    public long Id { get; set; }

    public long CitizenId { get; set; }

    public required string IdNumber { get; set; }

    public DateOnly FromDate { get; set; }

    public DateOnly ToDate { get; set; }

    /// <summary>The commune gone to, when it is in Vietnam and was given.</summary>
    public int? DestinationUnitId { get; set; }

    public required string Destination { get; set; }

    public string? Reason { get; set; }

    /// <summary>The dossier (khai báo tạm vắng) that recorded it.</summary>
    public Guid DossierId { get; set; }

    public DateTimeOffset RecordedAt { get; set; }
}

internal sealed class StayAndAbsenceConfigurations : IEntityTypeConfiguration<StayRecordRow>, IEntityTypeConfiguration<TemporaryAbsenceRow>
{
    public void Configure(EntityTypeBuilder<StayRecordRow> builder)
    {
        builder.ToTable("stay_records");
        builder.HasKey(s => s.Id);
    }

    public void Configure(EntityTypeBuilder<TemporaryAbsenceRow> builder)
    {
        builder.ToTable("temporary_absences");
        builder.HasKey(a => a.Id);
    }
}
