using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Server.Identity.Accounts;

namespace GrpcDvc.Server.Identity.Officials;

/// <summary>
/// One official per role in one demo unit, with a password and a TOTP seed that are published in
/// the README, so a developer (or the <c>dvc</c> tool, which computes the code from the seed) can sign
/// in as any role without an administrator creating accounts first.
/// <para>
/// Development only: created when Dvc:Identity:Development:Enabled and :DemoOfficials are both on,
/// never otherwise. Their credentials are public knowledge, so on any server that holds real data they
/// would be open doors with national-looking powers (an administrator, an auditor); Development:Enabled
/// is already the switch that must never be on in production (it hands out everyone's OTP codes).
/// </para>
/// </summary>
public static partial class DemoOfficials
{
    /// <summary>The password of every demo official.</summary>
    public const string Password = "demo-dvc-2026";

    /// <summary>The TOTP seed of every demo official (base32, 160 bits; SHA-1, 6 digits, 30 s as in the otpauth:// URI).</summary>
    public const string TotpSecret = "DEMODVCDEMODVCDEMODVCDEMODVCDEMO";

    /// <summary>
    /// Công an Thành phố Hà Nội: today's Hà Nội (P34-01) covers the old Hà Nội and its districts (through
    /// their successor link), and the demo population's largest share lives there, so the demo officials
    /// find demo citizens within their scope and are refused the others (OUTSIDE_AGENCY_SCOPE).
    /// </summary>
    public const string AgencyUnit = "P34-01";

    /// <summary>Username, full name and role of each demo official.</summary>
    public static IReadOnlyList<(string Username, string FullName, Role Role)> Accounts { get; } =
    [
        ("demo.intake", "Cán bộ tiếp nhận (demo)", Role.IntakeOfficer),
        ("demo.processing", "Cán bộ xử lý (demo)", Role.ProcessingOfficer),
        ("demo.approver", "Lãnh đạo phê duyệt (demo)", Role.ApprovingLeader),
        ("demo.station", "Quản lý trạm thu nhận (demo)", Role.StationManager),
        ("demo.auditor", "Kiểm tra, giám sát (demo)", Role.Auditor),
        ("demo.admin", "Quản trị (demo)", Role.Administrator),
    ];

    // PBKDF2 is deliberately slow (~50 ms); every test server seeds these accounts, so the published
    // password is hashed once per process and the hash shared (it protects nothing secret anyway).
    private static string? s_passwordHash;

    /// <summary>Creates the demo officials that do not exist yet, when development mode and the option are on.</summary>
    public static async Task SeedAsync(IServiceProvider services, ILogger logger, CancellationToken cancellationToken = default)
    {
        var development = services.GetRequiredService<IdentityOptions>().Development;
        if (!development.Enabled || !development.DemoOfficials)
        {
            return;
        }

        var hash = s_passwordHash ??= services.GetRequiredService<PasswordHasher>().Hash(Password);
        var secret = TotpCode.ParseSecret(TotpSecret);
        await using var scope = services.CreateAsyncScope();
        var administration = scope.ServiceProvider.GetRequiredService<OfficialAdministration>();
        var created = 0;
        foreach (var (username, fullName, role) in Accounts)
        {
            var result = await administration.SeedDemoAsync(new NewOfficial(username, fullName, AgencyUnit, [role], Password), hash, secret, cancellationToken);
            if (result is { Succeeded: false, Failure: { Kind: not FailureKind.AlreadyExists } failure })
            {
                throw new InvalidOperationException($"Demo official '{username}' is not valid: {failure.Reason}: {failure.Message}");
            }

            created += result is { Succeeded: true } ? 1 : 0;
        }

        if (created > 0)
        {
            Log.Created(logger, created, AgencyUnit);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 303, Level = LogLevel.Warning,
            Message = "Development: {Count} demo officials created in agency unit {AgencyUnit} (published password and TOTP seed; see the README).")]
        public static partial void Created(ILogger logger, int count, string agencyUnit);
    }
}
