using FluentMigrator;

namespace GrpcDvc.Server.Storage.Migrations;

/// <summary>
/// Identity, second step: birth dates keep the registry's precision (real records often hold
/// only the year), create-rpcs remember their client request id so a retry returns the first
/// result, and revoked sessions can be found by revocation time (access-token deny list).
/// </summary>
[Migration(2026_11_23_21, "Identity: birth date precision, client request ids, revoked_at index")]
public sealed class M0021_IdentityRequests : Migration
{
    public override void Up()
    {
        // 1 = full date (Population.BirthDatePrecision.Full): what every row so far held.
        Alter.Table("citizen_accounts").AddColumn("birth_date_precision").AsInt32().NotNullable().WithDefaultValue(1);
        Alter.Table("otp_challenges").AddColumn("birth_date_precision").AsInt32().NotNullable().WithDefaultValue(1);
        Alter.Table("otp_challenges").AddColumn("client_request_id").AsString(64).Nullable();
        Create.Index("ux_otp_challenges_client_request_id").OnTable("otp_challenges")
            .OnColumn("client_request_id").Ascending().WithOptions().Unique();
        Alter.Table("official_accounts").AddColumn("client_request_id").AsString(64).Nullable();
        Create.Index("ux_official_accounts_client_request_id").OnTable("official_accounts")
            .OnColumn("client_request_id").Ascending().WithOptions().Unique();
        Create.Index("ix_refresh_tokens_revoked_at").OnTable("refresh_tokens").OnColumn("revoked_at").Ascending();
    }

    public override void Down()
    {
        Delete.Index("ix_refresh_tokens_revoked_at").OnTable("refresh_tokens");
        Delete.Index("ux_official_accounts_client_request_id").OnTable("official_accounts");
        Delete.Column("client_request_id").FromTable("official_accounts");
        Delete.Index("ux_otp_challenges_client_request_id").OnTable("otp_challenges");
        Delete.Column("client_request_id").FromTable("otp_challenges");
        Delete.Column("birth_date_precision").FromTable("otp_challenges");
        Delete.Column("birth_date_precision").FromTable("citizen_accounts");
    }
}
