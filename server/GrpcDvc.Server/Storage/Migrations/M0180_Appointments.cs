using FluentMigrator;

namespace GrpcDvc.Server.Storage.Migrations;

/// <summary>
/// Appointments for level-3 identity cards: collection stations with their procedures, weekly
/// templates and dated overrides; the session rows of open days, each carrying its capacity and
/// the places taken (a booking is <c>UPDATE station_sessions SET booked = booked + 1 WHERE id = @id
/// AND booked &lt; capacity …</c> in the transaction that inserts the appointment); appointments
/// with their changes (the idempotency keys of cancel, reschedule, check-in and collection); and
/// the notification outbox their SMS go through, written in the transaction of the change that
/// causes them. Instants are UTC milliseconds, dates are Vietnam calendar dates, times of day are
/// minutes after local midnight.
/// </summary>
[Migration(2026_12_04_180, "Appointments: stations, templates, overrides, sessions with quotas, appointments, notification outbox")]
public sealed class M0180_Appointments : Migration
{
    public override void Up()
    {
        Create.Table("stations")
            .WithColumn("id").AsString(32).PrimaryKey("pk_stations")
            .WithColumn("name").AsString(200).NotNullable()
            .WithColumn("kind").AsString(16).NotNullable()
            .WithColumn("unit_id").AsInt32().NotNullable()
            .WithColumn("unit_code").AsString(32).NotNullable()
            .WithColumn("commune_unit_id").AsInt32().NotNullable()
            .WithColumn("commune_code").AsString(32).NotNullable()
            .WithColumn("address").AsString(300).NotNullable()
            .WithColumn("booking_window_days").AsInt32().NotNullable()
            .WithColumn("release_minute").AsInt32().NotNullable()
            .WithColumn("visit_from").AsDate().Nullable()
            .WithColumn("visit_to").AsDate().Nullable()
            .WithColumn("accepting").AsBoolean().NotNullable()
            .WithColumn("version").AsInt64().NotNullable()
            .WithColumn("create_request_id").AsString(64).NotNullable()
            .WithColumn("created_at").AsInt64().NotNullable()
            .WithColumn("updated_at").AsInt64().NotNullable();
        Create.Index("ix_stations_unit_id").OnTable("stations").OnColumn("unit_id").Ascending();
        Create.Index("ix_stations_commune_unit_id").OnTable("stations").OnColumn("commune_unit_id").Ascending();

        Create.Table("station_procedures")
            .WithColumn("station_id").AsString(32).NotNullable().PrimaryKey("pk_station_procedures")
            .WithColumn("procedure_code").AsString(32).NotNullable().PrimaryKey("pk_station_procedures");
        Create.Index("ix_station_procedures_procedure").OnTable("station_procedures").OnColumn("procedure_code").Ascending();

        Create.Table("station_template_sessions")
            .WithColumn("station_id").AsString(32).NotNullable().PrimaryKey("pk_station_template_sessions")
            .WithColumn("weekday").AsInt32().NotNullable().PrimaryKey("pk_station_template_sessions")
            .WithColumn("part").AsInt32().NotNullable().PrimaryKey("pk_station_template_sessions")
            .WithColumn("start_minute").AsInt32().NotNullable()
            .WithColumn("end_minute").AsInt32().NotNullable()
            .WithColumn("capacity").AsInt32().NotNullable();

        // part 0 with kind "closed": the whole day.
        Create.Table("station_overrides")
            .WithColumn("station_id").AsString(32).NotNullable().PrimaryKey("pk_station_overrides")
            .WithColumn("date").AsDate().NotNullable().PrimaryKey("pk_station_overrides")
            .WithColumn("part").AsInt32().NotNullable().PrimaryKey("pk_station_overrides")
            .WithColumn("kind").AsString(16).NotNullable()
            .WithColumn("start_minute").AsInt32().Nullable()
            .WithColumn("end_minute").AsInt32().Nullable()
            .WithColumn("capacity").AsInt32().Nullable()
            .WithColumn("reason").AsString(500).Nullable()
            .WithColumn("set_at").AsInt64().NotNullable()
            .WithColumn("set_by").AsGuid().Nullable();

        Create.Table("station_sessions")
            .WithColumn("id").AsInt64().PrimaryKey("pk_station_sessions").Identity()
            .WithColumn("station_id").AsString(32).NotNullable()
            .WithColumn("date").AsDate().NotNullable()
            .WithColumn("part").AsInt32().NotNullable()
            .WithColumn("starts_at").AsInt64().NotNullable()
            .WithColumn("ends_at").AsInt64().NotNullable()
            .WithColumn("opens_at").AsInt64().NotNullable()
            .WithColumn("capacity").AsInt32().NotNullable()
            .WithColumn("booked").AsInt32().NotNullable()
            .WithColumn("closed").AsBoolean().NotNullable()
            // Set by the no-show job once the session ended and its no-shows were marked.
            .WithColumn("settled_at").AsInt64().Nullable();
        Create.Index("ux_station_sessions_day").OnTable("station_sessions")
            .OnColumn("station_id").Ascending().OnColumn("date").Ascending().OnColumn("part").Ascending().WithOptions().Unique();
        // Open sessions across an area from a date, and the no-show job's ended sessions.
        Create.Index("ix_station_sessions_date").OnTable("station_sessions").OnColumn("date").Ascending();
        Create.Index("ix_station_sessions_ends_at").OnTable("station_sessions").OnColumn("ends_at").Ascending();

        Create.Table("appointments")
            .WithColumn("id").AsGuid().PrimaryKey("pk_appointments")
            .WithColumn("account_id").AsGuid().NotNullable()
            .WithColumn("id_number").AsString(12).NotNullable()
            .WithColumn("full_name").AsString(200).NotNullable()
            .WithColumn("procedure_code").AsString(32).NotNullable()
            .WithColumn("station_id").AsString(32).NotNullable()
            .WithColumn("session_id").AsInt64().NotNullable()
            .WithColumn("status").AsString(24).NotNullable()
            // The procedure code while the appointment is active (held, confirmed, checked in),
            // null after: a unique index on (account_id, active_procedure) allows one active
            // appointment per citizen and procedure on both databases (NULLs never collide).
            .WithColumn("active_procedure").AsString(32).Nullable()
            .WithColumn("request_id").AsString(64).NotNullable()
            .WithColumn("hold_expires_at").AsInt64().Nullable()
            .WithColumn("dossier_id").AsGuid().Nullable()
            .WithColumn("dossier_code").AsString(64).Nullable()
            .WithColumn("booked_at").AsInt64().NotNullable()
            .WithColumn("confirmed_at").AsInt64().Nullable()
            .WithColumn("checked_in_at").AsInt64().Nullable()
            .WithColumn("collected_at").AsInt64().Nullable()
            .WithColumn("ended_at").AsInt64().Nullable()
            .WithColumn("station_note").AsString(500).Nullable()
            // Session ids offered to a citizen the station moved out, JSON array.
            .WithColumn("offered").AsString(2000).Nullable()
            .WithColumn("version").AsInt64().NotNullable();
        Create.Index("ux_appointments_request").OnTable("appointments")
            .OnColumn("account_id").Ascending().OnColumn("request_id").Ascending().WithOptions().Unique();
        Create.Index("ux_appointments_active").OnTable("appointments")
            .OnColumn("account_id").Ascending().OnColumn("active_procedure").Ascending().WithOptions().Unique();
        Create.Index("ix_appointments_session_status").OnTable("appointments")
            .OnColumn("session_id").Ascending().OnColumn("status").Ascending();
        Create.Index("ix_appointments_hold_expiry").OnTable("appointments")
            .OnColumn("status").Ascending().OnColumn("hold_expires_at").Ascending();
        Create.Index("ix_appointments_dossier_code").OnTable("appointments").OnColumn("dossier_code").Ascending();

        // The idempotency key of every change after the booking: a retry finds its first answer.
        Create.Table("appointment_changes")
            .WithColumn("id").AsInt64().PrimaryKey("pk_appointment_changes").Identity()
            .WithColumn("appointment_id").AsGuid().NotNullable()
            .WithColumn("actor_id").AsGuid().Nullable()
            .WithColumn("request_id").AsString(64).Nullable()
            .WithColumn("kind").AsString(24).NotNullable()
            .WithColumn("from_session_id").AsInt64().Nullable()
            .WithColumn("to_session_id").AsInt64().Nullable()
            .WithColumn("at").AsInt64().NotNullable();
        Create.Index("ux_appointment_changes_request").OnTable("appointment_changes")
            .OnColumn("actor_id").Ascending().OnColumn("request_id").Ascending().WithOptions().Unique();
        Create.Index("ix_appointment_changes_appointment").OnTable("appointment_changes").OnColumn("appointment_id").Ascending();

        // Messages to citizens, written in the transaction of the change that causes them and sent
        // by the dispatch job through the SMS gateway (so a rollback sends nothing, a crash loses nothing).
        Create.Table("notifications")
            .WithColumn("id").AsInt64().PrimaryKey("pk_notifications").Identity()
            .WithColumn("account_id").AsGuid().NotNullable()
            .WithColumn("kind").AsString(32).NotNullable()
            .WithColumn("text").AsString(1000).NotNullable()
            .WithColumn("created_at").AsInt64().NotNullable()
            .WithColumn("next_attempt_at").AsInt64().NotNullable()
            .WithColumn("attempts").AsInt32().NotNullable()
            .WithColumn("sent_at").AsInt64().Nullable()
            .WithColumn("gateway_message_id").AsString(64).Nullable()
            .WithColumn("last_error").AsString(300).Nullable()
            .WithColumn("given_up_at").AsInt64().Nullable();
        Create.Index("ix_notifications_pending").OnTable("notifications")
            .OnColumn("sent_at").Ascending().OnColumn("next_attempt_at").Ascending();
        Create.Index("ix_notifications_account").OnTable("notifications").OnColumn("account_id").Ascending();
    }

    public override void Down()
    {
        Delete.Table("notifications");
        Delete.Table("appointment_changes");
        Delete.Table("appointments");
        Delete.Table("station_sessions");
        Delete.Table("station_overrides");
        Delete.Table("station_template_sessions");
        Delete.Table("station_procedures");
        Delete.Table("stations");
    }
}
