using FluentMigrator;
using GrpcDvc.Server.Population.Persistence;

namespace GrpcDvc.Server.Storage.Migrations;

[Migration(2026_11_23_10, "Population: citizens, households, identity documents, residence records, dated administrative units")]
public sealed class M0010_Population : Migration
{
    public override void Up()
    {
        Create.Table(PopulationSchema.AdministrativeUnits)
            .WithColumn("id").AsInt32().PrimaryKey("pk_administrative_units")
            .WithColumn("code").AsString(32).NotNullable().Unique("ux_administrative_units_code")
            .WithColumn("level").AsInt32().NotNullable()
            .WithColumn("name").AsString(200).NotNullable()
            .WithColumn("folded_name").AsString(200).NotNullable()
            .WithColumn("parent_id").AsInt32().Nullable().Indexed("ix_administrative_units_parent_id")
            .WithColumn("id_number_code").AsString(3).Nullable()
            .WithColumn("official_code").AsString(10).Nullable()
            .WithColumn("valid_from").AsDate().Nullable()
            .WithColumn("valid_to").AsDate().Nullable()
            .WithColumn("successor_id").AsInt32().Nullable()
            .WithColumn("is_synthetic").AsBoolean().NotNullable()
            .WithColumn("verified").AsBoolean().NotNullable()
            .WithColumn("note").AsString(1000).Nullable();

        Create.Table(PopulationSchema.Households)
            .WithColumn("id").AsInt64().PrimaryKey("pk_households").Identity()
            .WithColumn("head_citizen_id").AsInt64().Nullable()
            .WithColumn("unit_id").AsInt32().NotNullable()
            .WithColumn("address").AsString(300).NotNullable()
            .WithColumn("established_on").AsDate().NotNullable();

        Create.Table(PopulationSchema.Citizens)
            .WithColumn("id").AsInt64().PrimaryKey("pk_citizens").Identity()
            .WithColumn("id_number").AsString(12).NotNullable()
            .WithColumn("full_name").AsString(200).NotNullable()
            .WithColumn("folded_name").AsString(200).NotNullable()
            .WithColumn("other_names").AsString(200).Nullable()
            .WithColumn("birth_year").AsInt32().NotNullable()
            .WithColumn("birth_month").AsInt32().Nullable()
            .WithColumn("birth_day").AsInt32().Nullable()
            .WithColumn("gender").AsInt32().NotNullable()
            .WithColumn("ethnicity").AsString(50).NotNullable()
            .WithColumn("religion").AsString(50).NotNullable()
            .WithColumn("nationality").AsString(2).NotNullable()
            .WithColumn("birth_registration_unit_id").AsInt32().NotNullable()
            .WithColumn("hometown_unit_id").AsInt32().NotNullable()
            .WithColumn("permanent_unit_id").AsInt32().NotNullable()
            .WithColumn("permanent_address").AsString(300).NotNullable()
            .WithColumn("temporary_unit_id").AsInt32().Nullable()
            .WithColumn("temporary_address").AsString(300).Nullable()
            .WithColumn("current_unit_id").AsInt32().NotNullable()
            .WithColumn("current_address").AsString(300).NotNullable()
            .WithColumn("current_province_id").AsInt32().NotNullable()
            .WithColumn("household_id").AsInt64().Nullable()
                .ForeignKey("fk_citizens_household", PopulationSchema.Households, "id")
            .WithColumn("relation_to_head").AsInt32().Nullable()
            .WithColumn("father_id_number").AsString(12).Nullable()
            .WithColumn("mother_id_number").AsString(12).Nullable()
            .WithColumn("spouse_id_number").AsString(12).Nullable()
            .WithColumn("phone").AsString(15).Nullable()
            .WithColumn("status").AsInt32().NotNullable()
            .WithColumn("died_on").AsDate().Nullable();

        Create.Table(PopulationSchema.IdentityDocuments)
            .WithColumn("id").AsInt64().PrimaryKey("pk_identity_documents").Identity()
            .WithColumn("citizen_id").AsInt64().NotNullable()
                .ForeignKey("fk_identity_documents_citizen", PopulationSchema.Citizens, "id")
            .WithColumn("kind").AsInt32().NotNullable()
            .WithColumn("number").AsString(12).NotNullable()
            .WithColumn("issued_on").AsDate().NotNullable()
            .WithColumn("expires_on").AsDate().Nullable()
            .WithColumn("status").AsInt32().NotNullable()
            .WithColumn("issued_by").AsString(200).NotNullable();

        Create.Table(PopulationSchema.ResidenceRecords)
            .WithColumn("id").AsInt64().PrimaryKey("pk_residence_records").Identity()
            .WithColumn("citizen_id").AsInt64().NotNullable()
                .ForeignKey("fk_residence_records_citizen", PopulationSchema.Citizens, "id")
            .WithColumn("kind").AsInt32().NotNullable()
            .WithColumn("unit_id").AsInt32().NotNullable()
            .WithColumn("registered_unit_id").AsInt32().NotNullable()
            .WithColumn("address").AsString(300).NotNullable()
            .WithColumn("valid_from").AsDate().NotNullable()
            .WithColumn("valid_to").AsDate().Nullable();

        // Secondary indexes come from PopulationSchema, which the bulk loader also uses.
        foreach (var index in PopulationSchema.Indexes)
        {
            Execute.Sql(index.CreateSql);
        }
    }

    public override void Down()
    {
        Delete.Table(PopulationSchema.ResidenceRecords);
        Delete.Table(PopulationSchema.IdentityDocuments);
        Delete.Table(PopulationSchema.Citizens);
        Delete.Table(PopulationSchema.Households);
        Delete.Table(PopulationSchema.AdministrativeUnits);
    }
}
