using FluentMigrator;

namespace GrpcDvc.Server.Storage.Migrations;

/// <summary>
/// The sign-in audit also keeps administrators' changes to officials (roles, disabling, TOTP
/// re-enrolment): who made the change, what changed, and the administrator's request id. The
/// request id of a re-enrolment is what a retry is recognised by, so it is unique per official.
/// </summary>
[Migration(2026_11_29_70, "Identity: administrators' changes to officials in the sign-in audit")]
public sealed class M0070_OfficialAdministration : Migration
{
    public override void Up()
    {
        Alter.Table("sign_in_audit").AddColumn("actor_account_id").AsGuid().Nullable();
        Alter.Table("sign_in_audit").AddColumn("actor_login").AsString(64).Nullable();
        Alter.Table("sign_in_audit").AddColumn("detail").AsString(200).Nullable();
        Alter.Table("sign_in_audit").AddColumn("client_request_id").AsString(64).Nullable();
        // NULLs are distinct in a unique index on both providers: sign-ins (no request id) never clash.
        Create.Index("ux_sign_in_audit_account_request").OnTable("sign_in_audit")
            .OnColumn("account_id").Ascending()
            .OnColumn("client_request_id").Ascending()
            .WithOptions().Unique();
    }

    public override void Down()
    {
        Delete.Index("ux_sign_in_audit_account_request").OnTable("sign_in_audit");
        Delete.Column("client_request_id").FromTable("sign_in_audit");
        Delete.Column("detail").FromTable("sign_in_audit");
        Delete.Column("actor_login").FromTable("sign_in_audit");
        Delete.Column("actor_account_id").FromTable("sign_in_audit");
    }
}
