using System.Security.Cryptography;

namespace GrpcDvc.Server.Identity.Officials;

/// <summary>
/// Creates the first administrator of a deployment from Dvc:Identity:Bootstrap, once: when no
/// administrator exists yet. A password or TOTP seed that was not configured is generated and
/// written to the log this one time only — it is nowhere else, so whoever installs the system
/// takes it from the start-up log and the administrator changes it.
/// </summary>
public static partial class IdentityBootstrap
{
    /// <summary>The bootstrap administrator first (so the demo administrator never stands in for it), then the demo officials.</summary>
    public static async Task RunAsync(IServiceProvider services, ILogger logger, CancellationToken cancellationToken = default)
    {
        await CreateAdministratorAsync(services, logger, cancellationToken);
        await DemoOfficials.SeedAsync(services, logger, cancellationToken);
    }

    private static async Task CreateAdministratorAsync(IServiceProvider services, ILogger logger, CancellationToken cancellationToken)
    {
        var settings = services.GetRequiredService<IdentityOptions>().Bootstrap;
        if (string.IsNullOrWhiteSpace(settings.Username))
        {
            return;
        }

        var password = string.IsNullOrEmpty(settings.Password) ? GeneratePassword() : settings.Password;
        var secret = string.IsNullOrWhiteSpace(settings.TotpSecret) ? null : TotpCode.ParseSecret(settings.TotpSecret);
        await using var scope = services.CreateAsyncScope();
        var administration = scope.ServiceProvider.GetRequiredService<OfficialAdministration>();
        var created = await administration.BootstrapAsync(
            new NewOfficial(settings.Username, settings.FullName, settings.AgencyUnit, [], password), cancellationToken, secret);
        if (created is not { } result)
        {
            return; // an administrator exists: nothing to do, nothing to print
        }

        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Dvc:Identity:Bootstrap is not valid: {result.Failure!.Reason} ({result.Failure.Field}): {result.Failure.Message}");
        }

        Log.Created(logger, result.Value.Username, settings.AgencyUnit);
        if (string.IsNullOrEmpty(settings.Password))
        {
            Log.GeneratedPassword(logger, result.Value.Username, password);
        }

        if (secret is null)
        {
            Log.GeneratedTotp(logger, result.Value.Username, result.Value.TotpUri);
        }
    }

    // 80 random bits as 16 base32 characters: letters and digits, so it passes the policy and survives copy-paste.
    private static string GeneratePassword() => OtpNet.Base32Encoding.ToString(RandomNumberGenerator.GetBytes(10));

    private static partial class Log
    {
        [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Bootstrap administrator '{Username}' created for agency unit {AgencyUnit}.")]
        public static partial void Created(ILogger logger, string username, string agencyUnit);

        [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Bootstrap administrator '{Username}': generated password {Password} (shown once; change it).")]
        public static partial void GeneratedPassword(ILogger logger, string username, string password);

        [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Bootstrap administrator '{Username}': TOTP enrolment {OtpAuthUri} (shown once; add it to an authenticator app).")]
        public static partial void GeneratedTotp(ILogger logger, string username, string otpAuthUri);
    }
}
