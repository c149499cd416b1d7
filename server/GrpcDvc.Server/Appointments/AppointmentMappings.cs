using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrpcDvc.Server.Appointments;

internal sealed class StationMapping : IEntityTypeConfiguration<StationRecord>
{
    public void Configure(EntityTypeBuilder<StationRecord> builder)
    {
        builder.ToTable("stations");
        builder.HasKey(s => s.Id);
        // Edits name the version they were made against: UPDATE … WHERE version = @seen.
        builder.Property(s => s.Version).IsConcurrencyToken();
    }
}

internal sealed class StationProcedureMapping : IEntityTypeConfiguration<StationProcedureRecord>
{
    public void Configure(EntityTypeBuilder<StationProcedureRecord> builder)
    {
        builder.ToTable("station_procedures");
        builder.HasKey(p => new { p.StationId, p.ProcedureCode });
    }
}

internal sealed class StationTemplateSessionMapping : IEntityTypeConfiguration<StationTemplateSessionRecord>
{
    public void Configure(EntityTypeBuilder<StationTemplateSessionRecord> builder)
    {
        builder.ToTable("station_template_sessions");
        builder.HasKey(t => new { t.StationId, t.Weekday, t.Part });
    }
}

internal sealed class StationOverrideMapping : IEntityTypeConfiguration<StationOverrideRecord>
{
    public void Configure(EntityTypeBuilder<StationOverrideRecord> builder)
    {
        builder.ToTable("station_overrides");
        builder.HasKey(o => new { o.StationId, o.Date, o.Part });
    }
}

internal sealed class StationSessionMapping : IEntityTypeConfiguration<StationSessionRecord>
{
    public void Configure(EntityTypeBuilder<StationSessionRecord> builder)
    {
        builder.ToTable("station_sessions");
        builder.HasKey(s => s.Id);
    }
}

internal sealed class AppointmentMapping : IEntityTypeConfiguration<AppointmentRecord>
{
    public void Configure(EntityTypeBuilder<AppointmentRecord> builder)
    {
        builder.ToTable("appointments");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.Version).IsConcurrencyToken();
    }
}

internal sealed class AppointmentChangeMapping : IEntityTypeConfiguration<AppointmentChangeRecord>
{
    public void Configure(EntityTypeBuilder<AppointmentChangeRecord> builder)
    {
        builder.ToTable("appointment_changes");
        builder.HasKey(c => c.Id);
    }
}
