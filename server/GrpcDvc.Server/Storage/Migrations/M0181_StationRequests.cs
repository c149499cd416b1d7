using FluentMigrator;

namespace GrpcDvc.Server.Storage.Migrations;

/// <summary>
/// The first answer of every station manager's change (UpdateStation, SetWeeklyTemplate, SetDayOverride, SetQuota),
/// keyed by the caller and the request id and written in the change's own transaction: a retry gets that answer
/// back instead of doing the change again (a second close of a day would move nobody out and say so, a retried
/// edit would meet its own new version and be refused as stale).
/// </summary>
[Migration(2026_12_04_181, "Appointments: station managers' request ids and their first answers")]
public sealed class M0181_StationRequests : Migration
{
    public override void Up()
    {
        Create.Table("station_requests")
            .WithColumn("actor_id").AsGuid().NotNullable().PrimaryKey("pk_station_requests")
            .WithColumn("request_id").AsString(64).NotNullable().PrimaryKey("pk_station_requests")
            .WithColumn("rpc").AsString(32).NotNullable()
            .WithColumn("station_id").AsString(32).NotNullable()
            .WithColumn("response").AsBinary(int.MaxValue).NotNullable()
            .WithColumn("at").AsInt64().NotNullable();
    }

    public override void Down() => Delete.Table("station_requests");
}
