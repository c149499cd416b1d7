using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrpcDvc.Server.Dossiers;

internal sealed class DossierMapping : IEntityTypeConfiguration<DossierRecord>
{
    public void Configure(EntityTypeBuilder<DossierRecord> builder)
    {
        builder.ToTable("dossiers");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedNever();
        // The optimistic check of every change: UPDATE … WHERE version = @seen.
        builder.Property(d => d.Version).IsConcurrencyToken();
    }
}

internal sealed class DossierPersonMapping : IEntityTypeConfiguration<DossierPersonRecord>
{
    public void Configure(EntityTypeBuilder<DossierPersonRecord> builder)
    {
        builder.ToTable("dossier_people");
        builder.HasKey(p => new { p.DossierId, p.IdNumber });
    }
}

internal sealed class DossierEventMapping : IEntityTypeConfiguration<DossierEventRecord>
{
    public void Configure(EntityTypeBuilder<DossierEventRecord> builder)
    {
        builder.ToTable("dossier_events");
        builder.HasKey(e => new { e.DossierId, e.Sequence });
        builder.Property(e => e.Sequence).ValueGeneratedNever();
    }
}

internal sealed class DossierCodeCounterMapping : IEntityTypeConfiguration<DossierCodeCounterRecord>
{
    public void Configure(EntityTypeBuilder<DossierCodeCounterRecord> builder)
    {
        builder.ToTable("dossier_code_counters");
        builder.HasKey(c => new { c.UnitCode, c.Day });
        builder.Property(c => c.Day).ValueGeneratedNever();
    }
}

internal sealed class AttachmentMapping : IEntityTypeConfiguration<AttachmentRecord>
{
    public void Configure(EntityTypeBuilder<AttachmentRecord> builder)
    {
        builder.ToTable("attachments");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
    }
}

internal sealed class AttachmentContentMapping : IEntityTypeConfiguration<AttachmentContentRecord>
{
    public void Configure(EntityTypeBuilder<AttachmentContentRecord> builder)
    {
        builder.ToTable("attachment_contents");
        builder.HasKey(c => c.Sha256);
    }
}

/// <summary>The dossiers' tables in the shared context.</summary>
public static class DossierTables
{
    public static DbSet<DossierRecord> Dossiers(this DvcDbContext db) => db.Set<DossierRecord>();

    public static DbSet<DossierPersonRecord> DossierPeople(this DvcDbContext db) => db.Set<DossierPersonRecord>();

    public static DbSet<DossierEventRecord> DossierEvents(this DvcDbContext db) => db.Set<DossierEventRecord>();

    public static DbSet<DossierCodeCounterRecord> DossierCodeCounters(this DvcDbContext db) => db.Set<DossierCodeCounterRecord>();

    public static DbSet<AttachmentRecord> Attachments(this DvcDbContext db) => db.Set<AttachmentRecord>();

    public static DbSet<AttachmentContentRecord> AttachmentContents(this DvcDbContext db) => db.Set<AttachmentContentRecord>();
}
