using FluentMigrator;

namespace GrpcDvc.Server.Storage.Migrations;

/// <summary>
/// Identity secrets under ASP.NET Core Data Protection: its key ring lives in the database
/// (every instance reads and adds keys there; the EF mapping is DataProtectionKeyMapping), and
/// SMS codes are stored sealed rather than as an HMAC, which needs a wider column. A challenge
/// in flight at the upgrade fails its check (its code no longer opens): the user asks for a new
/// code, as after expiry.
/// </summary>
[Migration(2026_11_29_40, "Identity: Data Protection key ring; SMS codes sealed")]
public sealed class M0040_DataProtection : Migration
{
    public override void Up()
    {
        Create.Table("data_protection_keys")
            .WithColumn("id").AsInt32().PrimaryKey("pk_data_protection_keys").Identity()
            .WithColumn("friendly_name").AsString(int.MaxValue).Nullable()
            .WithColumn("xml").AsString(int.MaxValue).Nullable();

        Rename.Column("code_hash").OnTable("otp_challenges").To("code_sealed");
        // SQLite does not enforce a varchar length; PostgreSQL does.
        IfDatabase(type => type.StartsWith("Postgres", StringComparison.OrdinalIgnoreCase)).Alter.Column("code_sealed").OnTable("otp_challenges").AsString(400).NotNullable();
    }

    public override void Down()
    {
        Rename.Column("code_sealed").OnTable("otp_challenges").To("code_hash");
        Delete.Table("data_protection_keys");
    }
}
