using FluentMigrator;

namespace GrpcDvc.Server.Storage.Migrations;

/// <summary>
/// Forms as data: the catalog's forms (code, name, whether their fields are known, the whole
/// definition as JSON), and each procedure's effective-dated terms (online form, processing times,
/// fees, waivers) as one JSON document. Existing procedures get their terms from the seeder at the
/// next start (the column is null until then).
/// </summary>
[Migration(2026_12_03_110, "Catalog: forms and effective-dated procedure terms")]
public sealed class M0110_CatalogForms : Migration
{
    public override void Up()
    {
        Create.Table("catalog_forms")
            .WithColumn("code").AsString(32).PrimaryKey("pk_catalog_forms")
            .WithColumn("name_vi").AsString(500).NotNullable()
            .WithColumn("fields_known").AsBoolean().NotNullable()
            .WithColumn("definition_json").AsString(int.MaxValue).NotNullable();

        Alter.Table("procedures").AddColumn("terms_json").AsString(int.MaxValue).Nullable();
    }

    public override void Down()
    {
        Delete.Column("terms_json").FromTable("procedures");
        Delete.Table("catalog_forms");
    }
}
