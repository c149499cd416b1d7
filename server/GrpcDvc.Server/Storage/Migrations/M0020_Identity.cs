using FluentMigrator;

namespace GrpcDvc.Server.Storage.Migrations;

/// <summary>
/// Identity: citizen and official accounts, OTP challenges and the SMS outbox, token signing keys,
/// refresh tokens, seen identity assertions and the sign-in audit. Instants are timestamptz on
/// PostgreSQL (EF writes UTC DateTime there) and sortable ISO text on SQLite.
/// </summary>
[Migration(2026_11_23_20, "Identity: accounts, OTP, SMS outbox, signing keys, refresh tokens, sign-in audit")]
public sealed class M0020_Identity : Migration
{
    // FluentMigrator maps no DateTimeOffset type for SQLite; SQLite takes any type name (stored as
    // EF's ISO text), and on PostgreSQL this is the type Npgsql expects for UTC DateTime.
    private const string Instant = "timestamptz";

    public override void Up()
    {
        Create.Table("citizen_accounts")
            .WithColumn("id").AsGuid().PrimaryKey("pk_citizen_accounts")
            .WithColumn("id_number").AsString(12).NotNullable()
            .WithColumn("full_name").AsString(200).NotNullable()
            .WithColumn("birth_date").AsDate().NotNullable()
            .WithColumn("phone").AsString(16).Nullable()
            .WithColumn("password_hash").AsString(200).Nullable()
            .WithColumn("assurance_level").AsInt32().NotNullable()
            .WithColumn("disabled").AsBoolean().NotNullable()
            .WithColumn("created_at").AsCustom(Instant).NotNullable()
            .WithColumn("last_sign_in_at").AsCustom(Instant).Nullable()
            .WithColumn("failed_sign_ins").AsInt32().NotNullable()
            .WithColumn("lockout_level").AsInt32().NotNullable()
            .WithColumn("locked_until").AsCustom(Instant).Nullable();
        Create.Index("ux_citizen_accounts_id_number").OnTable("citizen_accounts")
            .OnColumn("id_number").Ascending().WithOptions().Unique();

        Create.Table("official_accounts")
            .WithColumn("id").AsGuid().PrimaryKey("pk_official_accounts")
            .WithColumn("username").AsString(64).NotNullable()
            .WithColumn("full_name").AsString(200).NotNullable()
            .WithColumn("agency_unit_code").AsString(32).NotNullable()
            .WithColumn("password_hash").AsString(200).NotNullable()
            .WithColumn("totp_secret_sealed").AsString(200).NotNullable()
            .WithColumn("totp_last_step").AsInt64().Nullable()
            .WithColumn("disabled").AsBoolean().NotNullable()
            .WithColumn("created_by").AsGuid().NotNullable()
            .WithColumn("created_at").AsCustom(Instant).NotNullable()
            .WithColumn("last_sign_in_at").AsCustom(Instant).Nullable()
            .WithColumn("failed_sign_ins").AsInt32().NotNullable()
            .WithColumn("lockout_level").AsInt32().NotNullable()
            .WithColumn("locked_until").AsCustom(Instant).Nullable();
        Create.Index("ux_official_accounts_username").OnTable("official_accounts")
            .OnColumn("username").Ascending().WithOptions().Unique();

        Create.Table("official_roles")
            .WithColumn("official_id").AsGuid().NotNullable().PrimaryKey("pk_official_roles")
                .ForeignKey("fk_official_roles_official", "official_accounts", "id")
            .WithColumn("role").AsString(32).NotNullable().PrimaryKey("pk_official_roles");
        Create.Index("ix_official_roles_role").OnTable("official_roles").OnColumn("role").Ascending();

        Create.Table("otp_challenges")
            .WithColumn("id").AsGuid().PrimaryKey("pk_otp_challenges")
            .WithColumn("purpose").AsString(32).NotNullable()
            .WithColumn("phone").AsString(16).NotNullable()
            .WithColumn("id_number").AsString(12).NotNullable()
            .WithColumn("full_name").AsString(200).NotNullable()
            .WithColumn("birth_date").AsDate().NotNullable()
            .WithColumn("code_hash").AsString(64).NotNullable()
            .WithColumn("created_at").AsCustom(Instant).NotNullable()
            .WithColumn("expires_at").AsCustom(Instant).NotNullable()
            .WithColumn("last_sent_at").AsCustom(Instant).NotNullable()
            .WithColumn("send_count").AsInt32().NotNullable()
            .WithColumn("attempts").AsInt32().NotNullable()
            .WithColumn("consumed_at").AsCustom(Instant).Nullable();

        Create.Table("otp_sends")
            .WithColumn("id").AsInt64().NotNullable().PrimaryKey("pk_otp_sends").Identity()
            .WithColumn("phone").AsString(16).NotNullable()
            .WithColumn("challenge_id").AsGuid().NotNullable()
            .WithColumn("sent_at").AsCustom(Instant).NotNullable();
        Create.Index("ix_otp_sends_phone_sent_at").OnTable("otp_sends")
            .OnColumn("phone").Ascending().OnColumn("sent_at").Ascending();

        Create.Table("sms_outbox")
            .WithColumn("id").AsInt64().NotNullable().PrimaryKey("pk_sms_outbox").Identity()
            .WithColumn("message_id").AsGuid().NotNullable()
            .WithColumn("phone").AsString(16).NotNullable()
            .WithColumn("text").AsString(1000).NotNullable()
            .WithColumn("created_at").AsCustom(Instant).NotNullable()
            .WithColumn("status").AsString(16).NotNullable()
            .WithColumn("error").AsString(200).Nullable();
        Create.Index("ix_sms_outbox_phone").OnTable("sms_outbox").OnColumn("phone").Ascending();

        Create.Table("signing_keys")
            .WithColumn("key_id").AsString(64).PrimaryKey("pk_signing_keys")
            .WithColumn("algorithm").AsString(16).NotNullable()
            .WithColumn("public_key").AsString(500).NotNullable()
            .WithColumn("private_key_sealed").AsString(1000).NotNullable()
            .WithColumn("created_at").AsCustom(Instant).NotNullable()
            .WithColumn("activates_at").AsCustom(Instant).NotNullable()
            .WithColumn("retires_at").AsCustom(Instant).Nullable();

        Create.Table("refresh_tokens")
            .WithColumn("id").AsGuid().PrimaryKey("pk_refresh_tokens")
            .WithColumn("family_id").AsGuid().NotNullable()
            .WithColumn("account_id").AsGuid().NotNullable()
            .WithColumn("account_kind").AsString(16).NotNullable()
            .WithColumn("token_hash").AsString(64).NotNullable()
            .WithColumn("created_at").AsCustom(Instant).NotNullable()
            .WithColumn("expires_at").AsCustom(Instant).NotNullable()
            .WithColumn("family_expires_at").AsCustom(Instant).NotNullable()
            .WithColumn("used_at").AsCustom(Instant).Nullable()
            .WithColumn("replaced_by").AsGuid().Nullable()
            .WithColumn("revoked_at").AsCustom(Instant).Nullable()
            .WithColumn("revoked_reason").AsString(32).Nullable();
        Create.Index("ux_refresh_tokens_token_hash").OnTable("refresh_tokens")
            .OnColumn("token_hash").Ascending().WithOptions().Unique();
        Create.Index("ix_refresh_tokens_family_id").OnTable("refresh_tokens").OnColumn("family_id").Ascending();
        Create.Index("ix_refresh_tokens_account_id").OnTable("refresh_tokens").OnColumn("account_id").Ascending();

        Create.Table("used_assertions")
            .WithColumn("issuer").AsString(200).NotNullable().PrimaryKey("pk_used_assertions")
            .WithColumn("token_id").AsString(128).NotNullable().PrimaryKey("pk_used_assertions")
            .WithColumn("expires_at").AsCustom(Instant).NotNullable();
        Create.Index("ix_used_assertions_expires_at").OnTable("used_assertions").OnColumn("expires_at").Ascending();

        Create.Table("sign_in_audit")
            .WithColumn("id").AsInt64().NotNullable().PrimaryKey("pk_sign_in_audit").Identity()
            .WithColumn("occurred_at").AsCustom(Instant).NotNullable()
            .WithColumn("account_kind").AsString(16).Nullable()
            .WithColumn("account_id").AsGuid().Nullable()
            .WithColumn("login").AsString(64).Nullable()
            .WithColumn("method").AsString(32).NotNullable()
            .WithColumn("succeeded").AsBoolean().NotNullable()
            .WithColumn("reason").AsString(64).Nullable()
            .WithColumn("address").AsString(64).Nullable()
            .WithColumn("user_agent").AsString(256).Nullable();
        Create.Index("ix_sign_in_audit_account_id").OnTable("sign_in_audit").OnColumn("account_id").Ascending();
        Create.Index("ix_sign_in_audit_occurred_at").OnTable("sign_in_audit").OnColumn("occurred_at").Ascending();
    }

    public override void Down()
    {
        Delete.Table("sign_in_audit");
        Delete.Table("used_assertions");
        Delete.Table("refresh_tokens");
        Delete.Table("signing_keys");
        Delete.Table("sms_outbox");
        Delete.Table("otp_sends");
        Delete.Table("otp_challenges");
        Delete.Table("official_roles");
        Delete.Table("official_accounts");
        Delete.Table("citizen_accounts");
    }
}
