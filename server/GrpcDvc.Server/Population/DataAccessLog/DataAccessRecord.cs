using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrpcDvc.Server.Population.DataAccessLog;

/// <summary>
/// One read of a citizen's data: who (account, role, agency), why (purpose, reference), what
/// (fields), whose (subject) and when. Append-only; written in the transaction that serves the read.
/// </summary>
public sealed class DataAccessRecord
{
    public Guid Id { get; set; }

    public DateTimeOffset At { get; set; }

    public required string AccessorAccountId { get; set; }

    public required string AccessorName { get; set; }

    public required string AccessorRole { get; set; }

    public string? AgencyCode { get; set; }

    public int Purpose { get; set; }

    public string? Reference { get; set; }

    public string? LegalBasis { get; set; }

    public required string SubjectIdNumber { get; set; }

    /// <summary>The citizen fields returned, comma-separated proto names.</summary>
    public required string Fields { get; set; }

    /// <summary>The rpc that served the read, "/package.Service/Method".</summary>
    public required string Rpc { get; set; }
}

internal sealed class DataAccessRecordConfiguration : IEntityTypeConfiguration<DataAccessRecord>
{
    public void Configure(EntityTypeBuilder<DataAccessRecord> builder)
    {
        builder.ToTable("data_accesses");
        builder.HasKey(a => a.Id);
        builder.HasIndex(a => new { a.SubjectIdNumber, a.At });
        builder.HasIndex(a => new { a.AccessorAccountId, a.At });
    }
}
