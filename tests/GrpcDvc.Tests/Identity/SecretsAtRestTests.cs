using System.Security.Cryptography;
using System.Text;
using GrpcDvc.Server.Identity.Secrets;
using Microsoft.AspNetCore.DataProtection;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// What is at rest must open again after a release: sealed values under their fixed purpose names,
/// and the development issuer's key in a file only the server's user reads, written once.
/// </summary>
public sealed class SecretsAtRestTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"grpcdvc-private-{Guid.NewGuid():N}");
    private readonly EphemeralDataProtectionProvider _provider = new();

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Theory]
    [InlineData(SecretKind.TotpSeed, "totp-seed")]
    [InlineData(SecretKind.SigningKey, "signing-key")]
    [InlineData(SecretKind.OtpCode, "otp-code")]
    [InlineData(SecretKind.SmsText, "sms-text")]
    public void SealedValue_StoredUnderItsFixedPurposeName_OpensAgain(SecretKind kind, string storedPurpose)
    {
        // As a value sealed by an earlier release sits in the database: the purpose chain spelled out.
        var stored = Convert.ToBase64String(_provider.CreateProtector("GrpcDvc.Identity", storedPurpose, "row-1").Protect([1, 2, 3]));

        Assert.Equal([1, 2, 3], new IdentitySecrets(_provider).Unseal(kind, stored, "row-1"));
    }

    [Fact]
    public void SealedValue_NotBase64_IsRefusedSayingSo()
    {
        var e = Assert.Throws<CryptographicException>(() => new IdentitySecrets(_provider).Unseal(SecretKind.OtpCode, "not base64!", "row-1"));

        Assert.Equal("The sealed value is not base64.", e.Message);
    }

    [Fact]
    public void PrivateFile_Created_IsReadableAndWritableByTheServersUserOnly_AndLeavesNoTemporaryFile()
    {
        var path = Path.Combine(_folder, "issuer", "key.bin");

        var content = PrivateFile.ReadOrCreate(path, () => Encoding.ASCII.GetBytes("key"));

        Assert.Equal("key"u8.ToArray(), content);
        Assert.Equal("key"u8.ToArray(), File.ReadAllBytes(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void PrivateFile_Existing_IsReadAndNeverMadeAgain()
    {
        var path = Path.Combine(_folder, "key.bin");
        PrivateFile.ReadOrCreate(path, () => "first"u8.ToArray());

        var again = PrivateFile.ReadOrCreate(path, () => throw new InvalidOperationException("made again"));

        Assert.Equal("first"u8.ToArray(), again);
    }

    [Fact]
    public async Task PrivateFile_TwoInstancesCreatingAtOnce_MakeTheKeyOnce_AndBothEndWithIt()
    {
        var path = Path.Combine(_folder, "key.bin");
        using var firstMaking = new ManualResetEventSlim();
        using var firstMayFinish = new ManualResetEventSlim();
        var made = 0;

        var first = Task.Run(() => PrivateFile.ReadOrCreate(path, () =>
        {
            Interlocked.Increment(ref made);
            firstMaking.Set();
            firstMayFinish.Wait(TimeSpan.FromSeconds(10));
            return "a"u8.ToArray();
        }));
        Assert.True(firstMaking.Wait(TimeSpan.FromSeconds(10)));

        // The second starts while there is no key on disk yet, the first still making it.
        var second = Task.Run(() => PrivateFile.ReadOrCreate(path, () =>
        {
            Interlocked.Increment(ref made);
            return "b"u8.ToArray();
        }));
        await Task.Delay(200);
        firstMayFinish.Set();
        var results = await Task.WhenAll(first, second);

        Assert.Equal(1, made);
        Assert.All(results, r => Assert.Equal("a"u8.ToArray(), r));
        Assert.Equal("a"u8.ToArray(), File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_folder));
    }
}
