using FluentMigrator;

namespace GrpcDvc.Server.Storage.Migrations;

/// <summary>
/// Sign-in and OTP limits counted in the database, so they hold across every instance sharing it
/// (Identity/SignIn/AbuseCounters): one row per action, scope and subject with its window's end
/// (UTC milliseconds, as every instant compared in SQL) and the requests counted in it. The index
/// on the window's end lets the purge find expired rows without a scan.
/// </summary>
[Migration(2026_11_29_60, "Identity: abuse counters shared by the instances")]
public sealed class M0060_AbuseCounters : Migration
{
    public override void Up()
    {
        Create.Table("abuse_counters")
            .WithColumn("action").AsString(16).NotNullable().PrimaryKey("pk_abuse_counters")
            .WithColumn("scope").AsString(16).NotNullable().PrimaryKey("pk_abuse_counters")
            .WithColumn("subject").AsString(64).NotNullable().PrimaryKey("pk_abuse_counters")
            .WithColumn("window_ends_at").AsInt64().NotNullable()
            .WithColumn("requests").AsInt64().NotNullable();
        Create.Index("ix_abuse_counters_window_ends_at").OnTable("abuse_counters").OnColumn("window_ends_at").Ascending();
    }

    public override void Down() => Delete.Table("abuse_counters");
}
