using FluentMigrator;

namespace GrpcDvc.Server.Storage.Migrations;

[Migration(2026_11_23_30, "Audit: the log of every read of a citizen's data")]
public sealed class M0030_DataAccessLog : Migration
{
    public override void Up()
    {
        Create.Table("data_accesses")
            .WithColumn("id").AsGuid().PrimaryKey("pk_data_accesses")
            .WithColumn("at").AsInt64().NotNullable().WithColumnDescription("UTC milliseconds since 1970 (Storage/InstantConverter)")
            .WithColumn("accessor_account_id").AsString(64).NotNullable()
            .WithColumn("accessor_name").AsString(200).NotNullable()
            .WithColumn("accessor_role").AsString(64).NotNullable()
            .WithColumn("agency_code").AsString(32).Nullable()
            .WithColumn("purpose").AsInt32().NotNullable()
            .WithColumn("reference").AsString(100).Nullable()
            .WithColumn("legal_basis").AsString(500).Nullable()
            .WithColumn("subject_id_number").AsString(12).NotNullable()
            .WithColumn("fields").AsString(2000).NotNullable()
            .WithColumn("rpc").AsString(200).NotNullable();
        Create.Index("ix_data_accesses_subject_id_number_at").OnTable("data_accesses")
            .OnColumn("subject_id_number").Ascending().OnColumn("at").Ascending();
        Create.Index("ix_data_accesses_accessor_account_id_at").OnTable("data_accesses")
            .OnColumn("accessor_account_id").Ascending().OnColumn("at").Ascending();
    }

    public override void Down() => Delete.Table("data_accesses");
}
