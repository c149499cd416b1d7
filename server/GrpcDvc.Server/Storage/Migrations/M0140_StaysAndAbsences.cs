using FluentMigrator;

namespace GrpcDvc.Server.Storage.Migrations;

/// <summary>
/// The registry facts the residence procedures record and the population tables had no place for:
/// stays (lưu trú, notified by the host) and temporary absences (tạm vắng, declared by the person),
/// each a period at a place, with the dossier that recorded it. Citizens are referred to by id and
/// personal ID number without a foreign key: the population loader replaces the citizens table in
/// bulk, and a key from these rows would stop it. Dates are calendar dates in Vietnam.
/// </summary>
[Migration(2026_12_03_140, "Registry: stays and temporary absences recorded by residence dossiers")]
public sealed class M0140_StaysAndAbsences : Migration
{
    public override void Up()
    {
        Create.Table("stay_records")
            .WithColumn("id").AsInt64().PrimaryKey("pk_stay_records").Identity()
            .WithColumn("citizen_id").AsInt64().NotNullable()
            .WithColumn("id_number").AsString(12).NotNullable()
            .WithColumn("unit_id").AsInt32().NotNullable()
            .WithColumn("address").AsString(300).NotNullable()
            .WithColumn("from_date").AsDate().NotNullable()
            .WithColumn("to_date").AsDate().Nullable()
            .WithColumn("dossier_id").AsGuid().NotNullable()
            .WithColumn("recorded_at").AsInt64().NotNullable();
        Create.Index("ix_stay_records_citizen_id").OnTable("stay_records").OnColumn("citizen_id").Ascending();
        // Who stays in a commune now: the commune police's list of guests.
        Create.Index("ix_stay_records_unit_from").OnTable("stay_records").OnColumn("unit_id").Ascending().OnColumn("from_date").Ascending();

        Create.Table("temporary_absences")
            .WithColumn("id").AsInt64().PrimaryKey("pk_temporary_absences").Identity()
            .WithColumn("citizen_id").AsInt64().NotNullable()
            .WithColumn("id_number").AsString(12).NotNullable()
            .WithColumn("from_date").AsDate().NotNullable()
            .WithColumn("to_date").AsDate().NotNullable()
            .WithColumn("destination_unit_id").AsInt32().Nullable()
            .WithColumn("destination").AsString(300).NotNullable()
            .WithColumn("reason").AsString(500).Nullable()
            .WithColumn("dossier_id").AsGuid().NotNullable()
            .WithColumn("recorded_at").AsInt64().NotNullable();
        Create.Index("ix_temporary_absences_citizen_id").OnTable("temporary_absences").OnColumn("citizen_id").Ascending();
    }

    public override void Down()
    {
        Delete.Table("temporary_absences");
        Delete.Table("stay_records");
    }
}
