using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.RateLimiting;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Hosting;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.Assertions;
using GrpcDvc.Server.Identity.Registration;
using GrpcDvc.Server.Identity.SignIn;
using GrpcDvc.Server.Identity.Tokens;
using GrpcDvc.Server.Jobs;
using GrpcDvc.Server.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// What AddIdentity does at start-up with nothing but the configuration: settings that could not work
/// stop the start naming the setting (not only when a test calls their Validate), the production
/// defaults a deployment gets when it registers nothing of its own (the system clock, the population
/// tables as the registry check, the SMS outbox as the gateway), the development service only when
/// development is on, and the two identity jobs declared. The harness of the other identity tests
/// registers its own clock and registry first, so it cannot show these defaults.
/// </summary>
public sealed class IdentityRegistrationTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), $"grpcdvc-registration-{Guid.NewGuid():N}");

    [Theory]
    [InlineData("-0.01")]
    [InlineData("1.01")]
    public void AShareOfFailedSmsOutsideZeroToOne_StopsTheStart_NamingTheSetting(string rate)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => Build(("Dvc:Identity:Sms:FailureRate", rate)).Dispose());

        Assert.Contains("Dvc:Identity:Sms:FailureRate", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    public void AShareOfFailedSmsOfZeroOrOne_Starts(string rate) => Build(("Dvc:Identity:Sms:FailureRate", rate)).Dispose();

    [Fact]
    public void ARateLimitWithoutPermits_StopsTheStart_NamingTheRule()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => Build(("Dvc:Identity:RateLimits:SignInPerAccount:Permits", "0")).Dispose());

        Assert.Contains("Dvc:Identity:RateLimits:SignInPerAccount ", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASigningKeyThatWouldRetireBeforeItIsPublished_StopsTheStart()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => Build(("Dvc:Identity:SigningKeys:Lifetime", "00:02:00")).Dispose());

        Assert.Contains("Dvc:Identity:SigningKeys", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithNothingOfItsOwnRegistered_TheDefaultsAreTheSystemClock_ThePopulationTables_AndTheSmsOutbox()
    {
        using var provider = Build();
        using var scope = provider.CreateScope();

        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
        Assert.IsType<PopulationRegistryCheck>(scope.ServiceProvider.GetRequiredService<ICitizenRegistryCheck>());
        Assert.IsType<OfficialNameSource>(scope.ServiceProvider.GetRequiredService<Server.Population.IOfficialNameSource>());
        Assert.Same(provider.GetRequiredService<SmsOutbox>(), provider.GetRequiredService<ISmsGateway>());
        Assert.IsType<AbuseCounters>(provider.GetRequiredService<PartitionedRateLimiter<RateLimitKey>>());
        Assert.IsType<AccessTokenReader>(provider.GetRequiredService<IAccessTokenReader>());
        Assert.IsType<LookupLimiter>(provider.GetRequiredService<ILookupLimiter>());
        Assert.NotNull(scope.ServiceProvider.GetService<IdentityGrpcService>());
    }

    [Fact]
    public void TheDevelopmentService_IsThereOnlyWhenDevelopmentIsOn_WithItsIssuersKeyInTheDataDirectory()
    {
        using (var off = Build())
        {
            using var scope = off.CreateScope();
            Assert.Null(scope.ServiceProvider.GetService<DevelopmentGrpcService>());
            Assert.Null(off.GetService<DevelopmentIdentityIssuer>());
        }

        using var on = Build(("Dvc:Identity:Development:Enabled", "true"));
        using var onScope = on.CreateScope();

        Assert.NotNull(onScope.ServiceProvider.GetService<DevelopmentGrpcService>());
        Assert.True(File.Exists(Path.Combine(_dataDir, "identity", "dev-issuer-es256.key")));
    }

    [Fact]
    public void TheSigningKeyRotation_AndThePurgeOfEndedCounters_AreDeclaredAsJobs()
    {
        using var provider = Build();

        var declared = provider.GetServices<JobStore.DeclaredJob>().Select(job => job.Trigger).ToList();

        Assert.Contains(declared, trigger => trigger.Name == SigningKeyRotationJob.Key.Name && trigger.Group == SigningKeyRotationJob.Key.Group);
        Assert.Contains(declared, trigger => trigger.Name == AbuseCounterPurgeJob.Key.Name && trigger.Group == AbuseCounterPurgeJob.Key.Group);
    }

    [Fact]
    public void AKeyRingCertificateWithoutItsPrivateKey_StopsTheStart_NamingTheSetting()
    {
        // The certificate decrypts the key ring as well as encrypting it: one without its private key would
        // seal new keys that no instance could ever open again.
        Directory.CreateDirectory(_dataDir);
        var pfx = Path.Combine(_dataDir, "key-ring-public-only.pfx");
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=GrpcDvc key ring (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var withKey = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            using var publicOnly = X509CertificateLoader.LoadCertificate(withKey.Export(X509ContentType.Cert));
            File.WriteAllBytes(pfx, publicOnly.Export(X509ContentType.Pfx));
        }

        var refused = Assert.Throws<InvalidOperationException>(() => Build(("Dvc:Identity:KeyRingCertificatePath", pfx)).Dispose());

        Assert.Contains("Dvc:Identity:KeyRingCertificatePath", refused.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    /// <summary>AddIdentity over the configuration given, with only what the server registers before it (the database, the data directory, agency scope).</summary>
    private ServiceProvider Build(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var target = DatabaseTarget.From(new DatabaseOptions(), _dataDir);
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(new DataDirectory(_dataDir))
            .AddSingleton<IAgencyScope, Population.TestAgencyScope>()
            .AddDbContext<DvcDbContext>(db => ServerHost.UseProvider(db, target));
        services.AddIdentity(configuration.GetSection(IdentityOptions.Section));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }
}
