using FluentMigrator;

namespace GrpcDvc.Server.Storage.Migrations;

/// <summary>
/// Dossiers: the dossier rows (queue columns plus the submission as JSON), who each concerns, the
/// hash-chained history, the per-unit daily code counters, and uploaded attachments with their
/// content stored once by SHA-256. Instants are UTC milliseconds as everywhere.
/// </summary>
[Migration(2026_12_03_120, "Dossiers: dossiers, people, hash-chained events, code counters, attachments")]
public sealed class M0120_Dossiers : Migration
{
    public override void Up()
    {
        Create.Table("dossiers")
            .WithColumn("id").AsGuid().PrimaryKey("pk_dossiers")
            .WithColumn("code").AsString(64).NotNullable()
            .WithColumn("procedure_code").AsString(32).NotNullable()
            .WithColumn("unit_id").AsInt32().NotNullable()
            .WithColumn("unit_code").AsString(32).NotNullable()
            .WithColumn("applicant_account_id").AsGuid().NotNullable()
            .WithColumn("applicant_id_number").AsString(12).NotNullable()
            .WithColumn("applicant_name").AsString(200).NotNullable()
            .WithColumn("status").AsString(32).NotNullable()
            .WithColumn("resume_status").AsString(32).Nullable()
            .WithColumn("version").AsInt64().NotNullable()
            .WithColumn("submit_request_id").AsString(64).NotNullable()
            .WithColumn("submitted_at").AsInt64().NotNullable()
            .WithColumn("clock_started_at").AsInt64().NotNullable()
            .WithColumn("due_at").AsInt64().Nullable()
            .WithColumn("clock_stops").AsString(4000).NotNullable()
            .WithColumn("overdue_at").AsInt64().Nullable()
            .WithColumn("updated_at").AsInt64().NotNullable()
            .WithColumn("station_id").AsString(64).Nullable()
            .WithColumn("details").AsString(int.MaxValue).NotNullable()
            .WithColumn("event_count").AsInt64().NotNullable()
            .WithColumn("history_head").AsString(64).NotNullable();
        Create.Index("ux_dossiers_code").OnTable("dossiers").OnColumn("code").Ascending().WithOptions().Unique();
        Create.Index("ux_dossiers_submit_request").OnTable("dossiers")
            .OnColumn("applicant_account_id").Ascending().OnColumn("submit_request_id").Ascending().WithOptions().Unique();
        // The officials' queue: a unit's dossiers by status, earliest due first.
        Create.Index("ix_dossiers_unit_status_due").OnTable("dossiers")
            .OnColumn("unit_id").Ascending().OnColumn("status").Ascending().OnColumn("due_at").Ascending();
        // A citizen's own dossiers, newest first.
        Create.Index("ix_dossiers_applicant_submitted").OnTable("dossiers")
            .OnColumn("applicant_account_id").Ascending().OnColumn("submitted_at").Descending();
        // The overdue sweep and auditors' period searches.
        Create.Index("ix_dossiers_due_at").OnTable("dossiers").OnColumn("due_at").Ascending();
        Create.Index("ix_dossiers_submitted_at").OnTable("dossiers").OnColumn("submitted_at").Ascending();

        Create.Table("dossier_people")
            .WithColumn("dossier_id").AsGuid().NotNullable().PrimaryKey("pk_dossier_people")
            .WithColumn("id_number").AsString(12).NotNullable().PrimaryKey("pk_dossier_people")
            .WithColumn("role").AsString(16).NotNullable();
        Create.Index("ix_dossier_people_id_number").OnTable("dossier_people").OnColumn("id_number").Ascending();

        Create.Table("dossier_events")
            .WithColumn("dossier_id").AsGuid().NotNullable().PrimaryKey("pk_dossier_events")
            .WithColumn("sequence").AsInt64().NotNullable().PrimaryKey("pk_dossier_events")
            .WithColumn("at").AsInt64().NotNullable()
            .WithColumn("action").AsString(32).NotNullable()
            .WithColumn("from_status").AsString(32).Nullable()
            .WithColumn("to_status").AsString(32).NotNullable()
            .WithColumn("actor_id").AsGuid().Nullable()
            .WithColumn("actor_name").AsString(200).NotNullable()
            .WithColumn("actor_role").AsString(32).NotNullable()
            .WithColumn("unit_code").AsString(32).Nullable()
            .WithColumn("reason").AsString(2000).Nullable()
            .WithColumn("documents").AsString(8000).NotNullable()
            .WithColumn("request_id").AsString(64).Nullable()
            .WithColumn("previous_hash").AsString(64).NotNullable()
            .WithColumn("hash").AsString(64).NotNullable();
        // A retried change finds its event; NULLs (the jobs' events) do not collide on either database.
        Create.Index("ux_dossier_events_request").OnTable("dossier_events")
            .OnColumn("dossier_id").Ascending().OnColumn("request_id").Ascending().WithOptions().Unique();

        Create.Table("dossier_code_counters")
            .WithColumn("unit_code").AsString(32).NotNullable().PrimaryKey("pk_dossier_code_counters")
            .WithColumn("day").AsInt32().NotNullable().PrimaryKey("pk_dossier_code_counters")
            .WithColumn("last_number").AsInt32().NotNullable();

        Create.Table("attachments")
            .WithColumn("id").AsGuid().PrimaryKey("pk_attachments")
            .WithColumn("owner_account_id").AsGuid().NotNullable()
            .WithColumn("request_id").AsString(64).NotNullable()
            .WithColumn("file_name").AsString(255).NotNullable()
            .WithColumn("content_type").AsString(64).NotNullable()
            .WithColumn("size").AsInt64().NotNullable()
            .WithColumn("sha256").AsString(64).NotNullable()
            .WithColumn("document_name").AsString(200).NotNullable()
            .WithColumn("uploaded_at").AsInt64().NotNullable()
            .WithColumn("dossier_id").AsGuid().Nullable();
        Create.Index("ux_attachments_request").OnTable("attachments")
            .OnColumn("owner_account_id").Ascending().OnColumn("request_id").Ascending().WithOptions().Unique();
        Create.Index("ix_attachments_dossier").OnTable("attachments").OnColumn("dossier_id").Ascending();
        Create.Index("ix_attachments_sha256").OnTable("attachments").OnColumn("sha256").Ascending();
        // The purge of attachments no dossier took up.
        Create.Index("ix_attachments_uploaded_at").OnTable("attachments").OnColumn("uploaded_at").Ascending();

        Create.Table("attachment_contents")
            .WithColumn("sha256").AsString(64).PrimaryKey("pk_attachment_contents")
            .WithColumn("size").AsInt64().NotNullable()
            .WithColumn("content").AsBinary(int.MaxValue).Nullable()
            .WithColumn("stored_at").AsInt64().NotNullable();
    }

    public override void Down()
    {
        Delete.Table("attachment_contents");
        Delete.Table("attachments");
        Delete.Table("dossier_code_counters");
        Delete.Table("dossier_events");
        Delete.Table("dossier_people");
        Delete.Table("dossiers");
    }
}
