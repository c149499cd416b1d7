using GrpcDvc.Server.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrpcDvc.Server.Catalog;

/// <summary>
/// A catalog entry as stored. Level and field have their own columns for filtering; the
/// effective-dated terms (online form, processing times, fees, waivers) are one JSON document
/// (<see cref="TermsJson"/>), the descriptive rest (documents, forms, result, delivery, intake
/// days, sources) another, each read whole. The processing-time and fee columns are the terms in
/// force on the day the entry was seeded, kept for readers of the first schema; rules read the
/// dated terms.
/// </summary>
public sealed class ProcedureRecord
{
    public required string Code { get; set; }

    public required string NameVi { get; set; }

    public required string NameEn { get; set; }

    public int ServiceLevel { get; set; }

    public required string Field { get; set; }

    /// <summary>Both names folded by <see cref="VietnameseText.Fold"/>, for diacritic-blind search.</summary>
    public required string SearchText { get; set; }

    public bool ProcessingTimeKnown { get; set; }

    public string? ProcessingTimeUnit { get; set; }

    public decimal? ProcessingTimeAmount { get; set; }

    public bool FeesKnown { get; set; }

    public long? FeeInPersonVnd { get; set; }

    public long? FeeOnlineVnd { get; set; }

    /// <summary>The catalog JSON entry as seeded (<see cref="ProcedureData"/>), for the descriptive fields.</summary>
    public required string DetailsJson { get; set; }

    /// <summary>The dated terms (<see cref="ProcedureTermsData"/>); null only on rows written before they existed, until the seeder fills them.</summary>
    public string? TermsJson { get; set; }

    public List<ProcedureAgencyLevelRecord> AgencyLevels { get; set; } = [];
}

public sealed class ProcedureAgencyLevelRecord
{
    public required string ProcedureCode { get; set; }

    public required string AgencyLevelCode { get; set; }
}

public sealed class AgencyLevelRecord
{
    public required string Code { get; set; }

    public required string NameVi { get; set; }

    public required string NameEn { get; set; }

    public int Rank { get; set; }
}

internal sealed class ProcedureRecordConfiguration :
    IEntityTypeConfiguration<ProcedureRecord>,
    IEntityTypeConfiguration<ProcedureAgencyLevelRecord>,
    IEntityTypeConfiguration<AgencyLevelRecord>
{
    public void Configure(EntityTypeBuilder<ProcedureRecord> builder)
    {
        builder.ToTable("procedures");
        builder.HasKey(p => p.Code);
        builder.Property(p => p.ProcessingTimeAmount).HasPrecision(6, 2);
        builder.HasMany(p => p.AgencyLevels).WithOne().HasForeignKey(l => l.ProcedureCode);
    }

    public void Configure(EntityTypeBuilder<ProcedureAgencyLevelRecord> builder)
    {
        builder.ToTable("procedure_agency_levels");
        builder.HasKey(l => new { l.ProcedureCode, l.AgencyLevelCode });
        builder.HasOne<AgencyLevelRecord>().WithMany().HasForeignKey(l => l.AgencyLevelCode);
    }

    public void Configure(EntityTypeBuilder<AgencyLevelRecord> builder)
    {
        builder.ToTable("agency_levels");
        builder.HasKey(l => l.Code);
    }
}
