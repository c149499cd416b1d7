using System.Security.Cryptography.X509Certificates;
using System.Threading.RateLimiting;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.Assertions;
using GrpcDvc.Server.Identity.Officials;
using GrpcDvc.Server.Identity.Registration;
using GrpcDvc.Server.Identity.Secrets;
using GrpcDvc.Server.Identity.SignIn;
using GrpcDvc.Server.Identity.Tokens;
using GrpcDvc.Server.Jobs;
using GrpcDvc.Server.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GrpcDvc.Server.Identity;

public static class IdentityRegistration
{
    /// <summary>
    /// Registers accounts, sign-in, tokens and abuse limits from the "Dvc:Identity" section.
    /// Stateless pieces are singletons; anything touching the DvcDbContext is scoped. The SMS
    /// gateway defaults to the <see cref="SmsOutbox"/> (register another <see cref="ISmsGateway"/>
    /// first to replace it); <see cref="ICitizenRegistryCheck"/> defaults to the population tables
    /// (<see cref="PopulationRegistryCheck"/>). Dvc:Identity:Development:Enabled also turns the
    /// development issuer on, since DevelopmentService mints with it.
    /// </summary>
    public static IServiceCollection AddIdentity(this IServiceCollection services, IConfiguration section)
    {
        var options = section.Get<IdentityOptions>() ?? new IdentityOptions();
        if (options.Sms.FailureRate is < 0 or > 1)
        {
            throw new InvalidOperationException("Dvc:Identity:Sms:FailureRate is a share between 0 and 1.");
        }

        options.RateLimits.Validate();
        options.SigningKeys.Validate();
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        AddSecrets(services, options);
        services.AddSingleton<PasswordHasher>();
        services.AddSingleton<PasswordPolicy>();
        services.TryAddSingleton<PartitionedRateLimiter<RateLimitKey>, AbuseCounters>();
        services.AddSingleton<AbuseLimiter>();
        AddAbuseCounterPurge(services, options.RateLimits);
        services.AddSingleton<SigningKeyRing>();
        services.AddSingleton<VerifiedTokens>();
        services.AddSingleton<AccessTokenCodec>();
        AddKeyRotation(services, options.SigningKeys);
        services.AddSingleton<SmsOutbox>();
        services.TryAddSingleton<ISmsGateway>(sp => sp.GetRequiredService<SmsOutbox>());
        if (options.DevelopmentIssuer.Enabled || options.Development.Enabled)
        {
            services.AddSingleton(sp => DevelopmentIdentityIssuer.Load(options, DataDir(sp), sp.GetRequiredService<TimeProvider>()));
        }

        services.AddSingleton(sp => new TrustedIssuers(options, sp.GetService<DevelopmentIdentityIssuer>()));

        services.AddScoped<Population.IOfficialNameSource, OfficialNameSource>();
        services.AddScoped<SignInAudit>();
        services.AddScoped<SignInSteps>();
        services.AddScoped<OtpService>();
        services.AddSingleton<OtpPhoneLocks>();
        services.AddScoped<TokenService>();
        services.AddScoped<AssertionReplayStore>();
        services.AddScoped<IIdentityAssertionValidator, IdentityAssertionValidator>();
        services.AddScoped<CitizenRegistration>();
        services.AddScoped<CitizenSignIn>();
        services.AddScoped<AssertionExchange>();
        services.AddScoped<OfficialSignIn>();
        services.AddScoped<OfficialAdministration>();
        services.AddScoped<OfficialChanges>();
        services.AddScoped<OfficialDirectory>();
        services.TryAddScoped<ICitizenRegistryCheck, PopulationRegistryCheck>();
        services.AddScoped<AccountNames>();
        services.AddSingleton<RevokedSessions>();
        services.AddSingleton<IAccessTokenReader, AccessTokenReader>();
        services.AddSingleton<ILookupLimiter, LookupLimiter>();
        services.AddScoped<IdentityGrpcService>();
        if (options.Development.Enabled)
        {
            services.AddScoped<DevelopmentGrpcService>();
        }

        return services;
    }

    /// <summary>
    /// Data Protection seals the identity secrets (<see cref="IdentitySecrets"/>). Its key ring is
    /// in the database, under one application name, so every instance of a cluster seals and
    /// opens with the same keys and sees the keys another instance added; keys rotate on Data
    /// Protection's own lifetime (90 days) and retired ones keep opening what they sealed. With
    /// Dvc:Identity:KeyRingCertificatePath the keys are encrypted at rest with that certificate;
    /// without it Data Protection logs a warning that the keys are stored unencrypted.
    /// </summary>
    private static void AddSecrets(IServiceCollection services, IdentityOptions options)
    {
        var dataProtection = services.AddDataProtection()
            .SetApplicationName(IdentitySecrets.ApplicationName)
            .PersistKeysToDbContext<DvcDbContext>();
        if (!string.IsNullOrWhiteSpace(options.KeyRingCertificatePath))
        {
            var password = string.IsNullOrEmpty(options.KeyRingCertificatePassword) ? null : options.KeyRingCertificatePassword;
#pragma warning disable CA2000 // The certificate encrypts and decrypts keys for as long as the application runs.
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(options.KeyRingCertificatePath, password);
#pragma warning restore CA2000
            if (!certificate.HasPrivateKey)
            {
                throw new InvalidOperationException("Dvc:Identity:KeyRingCertificatePath must hold the certificate's private key: it decrypts the key ring too.");
            }

            dataProtection.ProtectKeysWithCertificate(certificate);
        }

        services.AddSingleton<IdentitySecrets>();
    }

    /// <summary>
    /// The scheduled signing-key rotation (<see cref="SigningKeyRotationJob"/>), checked every RotationCheckInterval,
    /// the first check one interval after the trigger is first stored. Missed checks: one check at once (a key
    /// due while every instance was down rotates as soon as one is back).
    /// </summary>
    private static void AddKeyRotation(IServiceCollection services, SigningKeyOptions keys)
        => services.AddDvcJob<SigningKeyRotationJob>(SigningKeyRotationJob.Key, JobMisfirePolicy.FireOnceNow,
            "Rotates the access-token signing key once it has signed for Dvc:Identity:SigningKeys:Lifetime.",
            _ => JobSchedule.Every(keys.RotationCheckInterval));

    /// <summary>
    /// The purge of ended abuse-counter windows (<see cref="AbuseCounterPurgeJob"/>), every PurgeInterval. Missed
    /// purges: skipped, the next one deletes what they would have (an ended window already counts as none).
    /// </summary>
    private static void AddAbuseCounterPurge(IServiceCollection services, RateLimitOptions limits)
        => services.AddDvcJob<AbuseCounterPurgeJob>(AbuseCounterPurgeJob.Key, JobMisfirePolicy.SkipToNext,
            "Deletes the sign-in and OTP counters whose window has ended.",
            _ => JobSchedule.Every(limits.PurgeInterval));

    private static string DataDir(IServiceProvider services) => services.GetService<DataDirectory>()?.Path ?? "./data";
}
