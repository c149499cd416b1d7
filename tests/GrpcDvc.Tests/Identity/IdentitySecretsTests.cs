using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using GrpcDvc.Server.Hosting;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Officials;
using GrpcDvc.Server.Identity.Secrets;
using GrpcDvc.Server.Storage;
using GrpcDvc.Tests.Support;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// Identity secrets sealed with Data Protection, its key ring in the database: two server
/// instances are two service providers built by AddIdentity over one database, sharing nothing
/// else. Run per provider.
/// </summary>
public abstract class IdentitySecretsTests : IAsyncLifetime
{
    private readonly List<ServiceProvider> _instances = [];
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), $"grpcdvc-secrets-{Guid.NewGuid():N}");
    private DatabaseTarget _database = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dataDir);
        _database = await CreateDatabaseAsync(_dataDir);
        DatabaseMigrator.MigrateUp(_database);
    }

    public async Task DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDir, recursive: true);
    }

    protected abstract Task<DatabaseTarget> CreateDatabaseAsync(string dataDir);

    [Fact]
    public void Secret_SealedByOneInstance_OpensInAnother()
    {
        var seed = RandomNumberGenerator.GetBytes(TotpEnrolment.SecretBytes);
        var accountId = Guid.NewGuid().ToString("D");

        var sealedSeed = Secrets(StartInstance()).Seal(SecretKind.TotpSeed, seed, accountId);

        Assert.Equal(seed, Secrets(StartInstance()).Unseal(SecretKind.TotpSeed, sealedSeed, accountId));
    }

    [Fact]
    public void Secret_Tampered_IsRefused()
    {
        var secrets = Secrets(StartInstance());
        var sealedSeed = Convert.FromBase64String(secrets.Seal(SecretKind.TotpSeed, RandomNumberGenerator.GetBytes(20), "account"));
        sealedSeed[^20] ^= 0x01; // one bit of the ciphertext or its MAC

        Assert.ThrowsAny<CryptographicException>(() => secrets.Unseal(SecretKind.TotpSeed, Convert.ToBase64String(sealedSeed), "account"));
    }

    [Fact]
    public void Secret_MovedToAnotherRowOrKind_IsRefused()
    {
        var secrets = Secrets(StartInstance());
        var sealedSeed = secrets.Seal(SecretKind.TotpSeed, RandomNumberGenerator.GetBytes(20), "account-1");

        Assert.ThrowsAny<CryptographicException>(() => secrets.Unseal(SecretKind.TotpSeed, sealedSeed, "account-2"));
        Assert.ThrowsAny<CryptographicException>(() => secrets.Unseal(SecretKind.SigningKey, sealedSeed, "account-1"));
    }

    [Fact]
    public void OtpCode_SealedByOneInstance_MatchesOnAnother_OnlyForItsChallenge()
    {
        var challenge = Guid.NewGuid();
        var sealedCode = Secrets(StartInstance()).SealOtpCode(challenge, "042917");
        var other = Secrets(StartInstance());

        Assert.True(other.OtpCodeMatches(challenge, sealedCode, "042917"));
        Assert.False(other.OtpCodeMatches(challenge, sealedCode, "042918"));
        Assert.False(other.OtpCodeMatches(Guid.NewGuid(), sealedCode, "042917"));
        Assert.False(other.OtpCodeMatches(challenge, "", "042917"));
        Assert.False(other.OtpCodeMatches(challenge, "not base64!", "042917"));
    }

    [Fact]
    public async Task KeyRing_IsInTheDatabase_OneKeyForEveryInstance()
    {
        Secrets(StartInstance()).Seal(SecretKind.TotpSeed, [1, 2, 3], "a");
        Secrets(StartInstance()).Seal(SecretKind.TotpSeed, [1, 2, 3], "b");

        var keys = await KeyXmlAsync();

        var key = Assert.Single(keys);
        Assert.Contains("<masterKey", key, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyRing_Rotated_NewSecretsUseTheNewKey_OldOnesStillOpen_OnEveryInstance()
    {
        var first = StartInstance();
        var other = StartInstance();
        var before = Secrets(first).Seal(SecretKind.SigningKey, [1, 2, 3], "kid-1");
        Assert.Equal([1, 2, 3], Secrets(other).Unseal(SecretKind.SigningKey, before, "kid-1")); // the other instance has read the ring now

        // Data Protection adds a key by itself ahead of the default one's expiry (90 days), activated
        // when that one expires. Here one is added by hand, activated a minute from now: within the
        // tolerated clock skew, so as the most recently activated key it becomes the default.
        var now = DateTimeOffset.UtcNow;
        first.GetRequiredService<IKeyManager>().CreateNewKey(activationDate: now.AddMinutes(1), expirationDate: now.AddDays(90));
        var after = Secrets(first).Seal(SecretKind.SigningKey, [4, 5, 6], "kid-2");
        // The instance rereads its ring in the background after the change: a few calls may still use the old key.
        for (var waited = 0; waited < 50 && KeyIdOf(after) == KeyIdOf(before); waited++)
        {
            Thread.Sleep(100);
            after = Secrets(first).Seal(SecretKind.SigningKey, [4, 5, 6], "kid-2");
        }

        Assert.NotEqual(KeyIdOf(before), KeyIdOf(after));
        Assert.Equal([1, 2, 3], Secrets(first).Unseal(SecretKind.SigningKey, before, "kid-1"));
        // The other instance cached the ring before the new key existed: an unknown key id makes it reread.
        Assert.Equal([4, 5, 6], Secrets(other).Unseal(SecretKind.SigningKey, after, "kid-2"));
    }

    [Fact]
    public async Task KeyRing_WithACertificate_IsEncryptedAtRest_AndOpensOnlyWithIt()
    {
        var pfx = Path.Combine(_dataDir, "key-ring.pfx");
        await File.WriteAllBytesAsync(pfx, SelfSignedPfx("key-ring-password"));
        (string, string?)[] certificate = [("Dvc:Identity:KeyRingCertificatePath", pfx), ("Dvc:Identity:KeyRingCertificatePassword", "key-ring-password")];

        var sealedSeed = Secrets(StartInstance(certificate)).Seal(SecretKind.TotpSeed, [7, 7, 7], "account");

        var key = Assert.Single(await KeyXmlAsync());
        Assert.Contains("<EncryptedData", key, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", key, StringComparison.Ordinal);
        Assert.Equal([7, 7, 7], Secrets(StartInstance(certificate)).Unseal(SecretKind.TotpSeed, sealedSeed, "account"));
        Assert.ThrowsAny<CryptographicException>(() => Secrets(StartInstance()).Unseal(SecretKind.TotpSeed, sealedSeed, "account"));
    }

    private ServiceProvider StartInstance(params (string Key, string? Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var instance = new ServiceCollection()
            .AddLogging()
            .AddSingleton(new DataDirectory(_dataDir))
            .AddDbContext<DvcDbContext>(db => ServerHost.UseProvider(db, _database))
            .AddIdentity(configuration.GetSection(IdentityOptions.Section))
            .BuildServiceProvider();
        _instances.Add(instance);
        return instance;
    }

    private static IdentitySecrets Secrets(ServiceProvider instance) => instance.GetRequiredService<IdentitySecrets>();

    private async Task<List<string>> KeyXmlAsync()
    {
        await using var scope = StartInstance().CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
        return await db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync();
    }

    /// <summary>The key a Data Protection payload was sealed with: bytes 4 to 20, after the magic header.</summary>
    private static Guid KeyIdOf(string sealedValue) => new(Convert.FromBase64String(sealedValue).AsSpan(4, 16));

    private static byte[] SelfSignedPfx(string password)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=GrpcDvc key ring (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return certificate.Export(X509ContentType.Pfx, password);
    }
}

public sealed class IdentitySecretsOnSqliteTests : IdentitySecretsTests
{
    protected override Task<DatabaseTarget> CreateDatabaseAsync(string dataDir)
        => Task.FromResult(DatabaseTarget.From(new DatabaseOptions(), dataDir));
}

[Collection(PostgresCollection.Name)]
public sealed class IdentitySecretsOnPostgresTests(PostgresCluster cluster) : IdentitySecretsTests
{
    protected override async Task<DatabaseTarget> CreateDatabaseAsync(string dataDir)
        => new(DatabaseProvider.Postgres, await cluster.CreateDatabaseAsync());
}
