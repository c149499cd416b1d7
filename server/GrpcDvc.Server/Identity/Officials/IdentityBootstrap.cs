using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GrpcDvc.Server.Identity.Secrets;
using GrpcDvc.Server.Storage;

namespace GrpcDvc.Server.Identity.Officials;

/// <summary>
/// Creates the first administrator of a deployment from Dvc:Identity:Bootstrap, once: when no
/// administrator exists yet. A password or TOTP seed that was not configured is generated and
/// written this one time only to <see cref="CredentialsFileName"/> under the data dir, readable
/// by the server's user alone (0600); the log says where the file is, never what is in it. Not
/// the log, because log stores index and keep what they get and ship it to people who must not
/// sign in as the administrator; not the console either, because a service's stdout is a log
/// (journald, docker logs) that ends up in the same stores. Whoever installs the system takes
/// the credentials from the file, deletes it, and the administrator changes the password.
/// </summary>
public static partial class IdentityBootstrap
{
    /// <summary>The file under DataDir/identity that holds the generated credentials of the bootstrap administrator.</summary>
    public const string CredentialsFileName = "bootstrap-administrator.txt";

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
        var generatedPassword = string.IsNullOrEmpty(settings.Password) ? password : null;
        var generatedTotpUri = secret is null ? result.Value.TotpUri : null;
        if (generatedPassword is null && generatedTotpUri is null)
        {
            return; // both configured: the operator has them already
        }

        var dataDir = services.GetService<DataDirectory>()?.Path ?? "./data";
        var path = Path.GetFullPath(Path.Combine(dataDir, "identity", CredentialsFileName));
        WriteCredentials(path, result.Value.Username, generatedPassword, generatedTotpUri);
        Log.CredentialsWritten(logger, result.Value.Username, path);
    }

    // Owner-only from its creation, replacing a file left by an earlier bootstrap.
    private static void WriteCredentials(string path, string username, string? password, string? totpUri)
    {
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"username: {username}\n");
        if (password is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"password: {password}\n");
        }

        if (totpUri is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"totp: {totpUri}\n");
        }

        text.Append("Shown once: enrol the TOTP URI in an authenticator app, sign in, change the password, then delete this file.\n");
        PrivateFile.Write(path, Encoding.UTF8.GetBytes(text.ToString()));
    }

    // 80 random bits as 16 base32 characters: letters and digits, so it passes the policy and survives copy-paste.
    private static string GeneratePassword() => OtpNet.Base32Encoding.ToString(RandomNumberGenerator.GetBytes(10));

    private static partial class Log
    {
        [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Bootstrap administrator '{Username}' created for agency unit {AgencyUnit}.")]
        public static partial void Created(ILogger logger, string username, string agencyUnit);

        [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Bootstrap administrator '{Username}': generated credentials written to {CredentialsFile} (owner-only); take them, delete the file, change the password.")]
        public static partial void CredentialsWritten(ILogger logger, string username, string credentialsFile);
    }
}
