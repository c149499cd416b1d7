using FluentMigrator;
using GrpcDvc.Server.Jobs;

namespace GrpcDvc.Server.Storage.Migrations;

/// <summary>
/// Scheduled jobs on Quartz's persistent store, in the application's own database: Quartz's tables
/// (prefix <see cref="JobStore.TablePrefix"/>) from the schema script Quartz ships inside Quartz.dll for
/// the provider, so the migration runner, under the database lock, is the one place the schema is made
/// and the scheduler itself needs no right to create tables (it only validates them at start). And
/// <c>job_runs</c>: one row per run of a job on any instance (Jobs/JobRunRecorder), read by
/// administrators (dvc.jobs.v1.JobService), newest first per job, and purged by age.
/// A later Quartz release that changes its tables comes with its own migration from the upgrade scripts
/// Quartz publishes; the script run here only creates what is missing and never alters.
/// </summary>
[Migration(2026_12_03_170, "Jobs: Quartz's persistent store and the job-run log")]
public sealed class M0170_Jobs : Migration
{
    public override void Up()
    {
        foreach (var statement in QuartzSchema.Statements(QuartzSchema.Dialect.Postgres, JobStore.TablePrefix))
        {
            IfDatabase(IsPostgres).Execute.Sql(statement);
        }

        foreach (var statement in QuartzSchema.Statements(QuartzSchema.Dialect.Sqlite, JobStore.TablePrefix))
        {
            IfDatabase(IsSqlite).Execute.Sql(statement);
        }

        Create.Table("job_runs")
            .WithColumn("id").AsInt64().PrimaryKey("pk_job_runs").Identity()
            .WithColumn("job_group").AsString(200).NotNullable()
            .WithColumn("job_name").AsString(200).NotNullable()
            .WithColumn("trigger_group").AsString(200).NotNullable()
            .WithColumn("trigger_name").AsString(200).NotNullable()
            .WithColumn("instance_id").AsString(200).NotNullable()
            .WithColumn("fire_instance_id").AsString(200).NotNullable()
            .WithColumn("scheduled_fire_at").AsInt64().Nullable()
            .WithColumn("fired_at").AsInt64().NotNullable()
            .WithColumn("duration_ms").AsInt64().NotNullable()
            .WithColumn("succeeded").AsBoolean().NotNullable()
            .WithColumn("error").AsString(JobRunRecord.ErrorLength).Nullable()
            .WithColumn("next_fire_at").AsInt64().Nullable()
            .WithColumn("recovering").AsBoolean().NotNullable();
        // One row per firing, whichever instance records it (a listener retried after a lost reply writes nothing twice).
        Create.Index("ux_job_runs_fire_instance_id").OnTable("job_runs").OnColumn("fire_instance_id").Ascending().WithOptions().Unique();
        // A job's runs newest first (ListJobRuns, the last outcome in ListJobs), and the purge by age.
        Create.Index("ix_job_runs_job").OnTable("job_runs")
            .OnColumn("job_group").Ascending().OnColumn("job_name").Ascending().OnColumn("id").Descending();
        Create.Index("ix_job_runs_fired_at").OnTable("job_runs").OnColumn("fired_at").Ascending();
    }

    public override void Down()
    {
        Delete.Table("job_runs");
        // Quartz's tables, children first.
        foreach (var table in new[]
                 {
                     "simple_triggers", "cron_triggers", "simprop_triggers", "blob_triggers", "triggers", "job_details",
                     "calendars", "paused_trigger_grps", "paused_job_grps", "fired_triggers", "scheduler_state", "locks",
                     "execution_history", "misfire_history", "job_status",
                 })
        {
            Execute.Sql($"DROP TABLE IF EXISTS {JobStore.TablePrefix}{table}");
        }
    }

    private static bool IsPostgres(string type) => type.StartsWith("Postgres", StringComparison.OrdinalIgnoreCase);

    private static bool IsSqlite(string type) => type.StartsWith("SQLite", StringComparison.OrdinalIgnoreCase);
}
