using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrpcDvc.Server.Catalog;

/// <summary>A form of the catalog as stored: its code and name for listing, the whole definition as JSON (<see cref="FormData"/>).</summary>
public sealed class FormRecord
{
    public required string Code { get; set; }

    public required string NameVi { get; set; }

    public bool FieldsKnown { get; set; }

    public required string DefinitionJson { get; set; }
}

internal sealed class FormRecordConfiguration : IEntityTypeConfiguration<FormRecord>
{
    public void Configure(EntityTypeBuilder<FormRecord> builder)
    {
        builder.ToTable("catalog_forms");
        builder.HasKey(f => f.Code);
    }
}
