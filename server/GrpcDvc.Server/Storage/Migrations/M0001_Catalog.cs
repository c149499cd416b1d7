using FluentMigrator;

namespace GrpcDvc.Server.Storage.Migrations;

[Migration(2026_11_23_01, "Catalog: agency levels and procedures")]
public sealed class M0001_Catalog : Migration
{
    public override void Up()
    {
        Create.Table("agency_levels")
            .WithColumn("code").AsString(32).PrimaryKey("pk_agency_levels")
            .WithColumn("name_vi").AsString(200).NotNullable()
            .WithColumn("name_en").AsString(200).NotNullable()
            .WithColumn("rank").AsInt32().NotNullable();

        Create.Table("procedures")
            .WithColumn("code").AsString(32).PrimaryKey("pk_procedures")
            .WithColumn("name_vi").AsString(500).NotNullable()
            .WithColumn("name_en").AsString(500).NotNullable()
            .WithColumn("service_level").AsInt32().NotNullable()
            .WithColumn("field").AsString(64).NotNullable()
            .WithColumn("search_text").AsString(2000).NotNullable()
            .WithColumn("processing_time_known").AsBoolean().NotNullable()
            .WithColumn("processing_time_unit").AsString(32).Nullable()
            .WithColumn("processing_time_amount").AsDecimal(6, 2).Nullable()
            .WithColumn("fees_known").AsBoolean().NotNullable()
            .WithColumn("fee_in_person_vnd").AsInt64().Nullable()
            .WithColumn("fee_online_vnd").AsInt64().Nullable()
            .WithColumn("details_json").AsString(int.MaxValue).NotNullable();

        Create.Index("ix_procedures_service_level_field").OnTable("procedures")
            .OnColumn("service_level").Ascending().OnColumn("field").Ascending();

        Create.Table("procedure_agency_levels")
            .WithColumn("procedure_code").AsString(32).NotNullable().PrimaryKey("pk_procedure_agency_levels")
                .ForeignKey("fk_procedure_agency_levels_procedure", "procedures", "code")
            .WithColumn("agency_level_code").AsString(32).NotNullable().PrimaryKey("pk_procedure_agency_levels")
                .ForeignKey("fk_procedure_agency_levels_level", "agency_levels", "code");
        Create.Index("ix_procedure_agency_levels_level").OnTable("procedure_agency_levels")
            .OnColumn("agency_level_code").Ascending();
    }

    public override void Down()
    {
        Delete.Table("procedure_agency_levels");
        Delete.Table("procedures");
        Delete.Table("agency_levels");
    }
}
