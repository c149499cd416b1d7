using FluentMigrator;

namespace GrpcDvc.Server.Storage.Migrations;

/// <summary>
/// The working calendar: which years are fixed (announced or edited), their holidays and declared
/// working days, and the log of administrators' changes. Dates are yyyymmdd integers (see
/// Calendar/CalendarRecords.cs), instants UTC milliseconds as everywhere.
/// </summary>
[Migration(2026_12_01_90, "Calendar: fixed years, holidays and working days, change log")]
public sealed class M0090_Calendar : Migration
{
    public override void Up()
    {
        Create.Table("calendar_years")
            .WithColumn("year").AsInt32().PrimaryKey("pk_calendar_years")
            .WithColumn("source").AsString(500).NotNullable()
            .WithColumn("fixed_at").AsInt64().NotNullable();

        Create.Table("calendar_days")
            .WithColumn("date").AsInt32().PrimaryKey("pk_calendar_days")
            .WithColumn("kind").AsString(16).NotNullable()
            .WithColumn("name_vi").AsString(200).NotNullable()
            .WithColumn("name_en").AsString(200).NotNullable()
            .WithColumn("source").AsString(500).NotNullable()
            .WithColumn("changed_at").AsInt64().NotNullable()
            .WithColumn("changed_by").AsGuid().Nullable();

        Create.Table("calendar_changes")
            .WithColumn("id").AsInt64().NotNullable().PrimaryKey("pk_calendar_changes").Identity()
            .WithColumn("changed_at").AsInt64().NotNullable()
            .WithColumn("changed_by").AsGuid().NotNullable()
            .WithColumn("action").AsString(16).NotNullable()
            .WithColumn("date").AsInt32().NotNullable()
            .WithColumn("kind").AsString(16).Nullable()
            .WithColumn("name_vi").AsString(200).Nullable()
            .WithColumn("source").AsString(500).Nullable();
        Create.Index("ix_calendar_changes_date").OnTable("calendar_changes").OnColumn("date").Ascending();
    }

    public override void Down()
    {
        Delete.Table("calendar_changes");
        Delete.Table("calendar_days");
        Delete.Table("calendar_years");
    }
}
