using FluentMigrator;

namespace GrpcDvc.Server.Storage.Migrations;

/// <summary>
/// The development SMS outbox keeps its texts sealed (Data Protection, like the codes on their
/// challenges) and only until the code in them expires. The table is recreated rather than
/// altered: the rows it held carry codes in cleartext, which is exactly what must not survive
/// the upgrade, and they are development messages nobody needs back.
/// </summary>
[Migration(2026_11_29_50, "Identity: SMS outbox texts sealed, erased at expiry")]
public sealed class M0050_SmsOutboxSealed : Migration
{
    private const string Instant = "timestamptz";

    public override void Up()
    {
        Delete.Table("sms_outbox");
        Create.Table("sms_outbox")
            .WithColumn("id").AsInt64().NotNullable().PrimaryKey("pk_sms_outbox").Identity()
            .WithColumn("message_id").AsGuid().NotNullable()
            .WithColumn("phone").AsString(16).NotNullable()
            .WithColumn("text_sealed").AsString(1000).Nullable()
            .WithColumn("created_at").AsCustom(Instant).NotNullable()
            .WithColumn("expires_at").AsCustom(Instant).NotNullable()
            .WithColumn("status").AsString(16).NotNullable()
            .WithColumn("error").AsString(200).Nullable();
        Create.Index("ix_sms_outbox_phone").OnTable("sms_outbox").OnColumn("phone").Ascending();
    }

    public override void Down()
    {
        Delete.Table("sms_outbox");
        Create.Table("sms_outbox")
            .WithColumn("id").AsInt64().NotNullable().PrimaryKey("pk_sms_outbox").Identity()
            .WithColumn("message_id").AsGuid().NotNullable()
            .WithColumn("phone").AsString(16).NotNullable()
            .WithColumn("text").AsString(1000).NotNullable()
            .WithColumn("created_at").AsCustom(Instant).NotNullable()
            .WithColumn("status").AsString(16).NotNullable()
            .WithColumn("error").AsString(200).Nullable();
        Create.Index("ix_sms_outbox_phone").OnTable("sms_outbox").OnColumn("phone").Ascending();
    }
}
