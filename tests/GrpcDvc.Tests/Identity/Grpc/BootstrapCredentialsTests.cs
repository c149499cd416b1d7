using GrpcDvc.Server.Storage;
using GrpcDvc.Server.Identity.Officials;
using GrpcDvc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Identity.Grpc;

/// <summary>
/// The bootstrap administrator's owner-only credentials file holds only what the server generated:
/// a configured password or TOTP seed is the operator's already and is never written down again.
/// </summary>
public sealed class BootstrapCredentialsTests
{
    private const string Password = "quan-tri-vien-2026";
    private const string Seed = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    [Theory]
    [InlineData(false, false, true, true)]
    [InlineData(true, false, false, true)]
    [InlineData(false, true, true, false)]
    public async Task CredentialsFile_HoldsWhatWasGenerated_Only(bool passwordConfigured, bool seedConfigured, bool passwordWritten, bool totpWritten)
    {
        List<string> args = ["--Dvc:Identity:Bootstrap:Username=admin"];
        if (passwordConfigured)
        {
            args.Add($"--Dvc:Identity:Bootstrap:Password={Password}");
        }

        if (seedConfigured)
        {
            args.Add($"--Dvc:Identity:Bootstrap:TotpSecret={Seed}");
        }

        await using var server = await InProcessServer.StartAsync(null, [.. args]);
        var text = await File.ReadAllTextAsync(CredentialsFile(server));

        Assert.StartsWith("username: admin\n", text, StringComparison.Ordinal);
        Assert.Equal(passwordWritten, text.Contains("\npassword: ", StringComparison.Ordinal));
        Assert.Equal(totpWritten, text.Contains("\ntotp: otpauth://", StringComparison.Ordinal));
        Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Seed, text, StringComparison.Ordinal);
        // The file is a one-time hand-over: it tells its reader what to do and to delete it.
        Assert.EndsWith("change the password, then delete this file.\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CredentialsFile_BothConfigured_IsNotWritten()
    {
        await using var server = await InProcessServer.StartAsync(null,
            "--Dvc:Identity:Bootstrap:Username=admin", $"--Dvc:Identity:Bootstrap:Password={Password}", $"--Dvc:Identity:Bootstrap:TotpSecret={Seed}");

        Assert.False(File.Exists(CredentialsFile(server)));
    }

    private static string CredentialsFile(InProcessServer server)
        => Path.Combine(server.Services.GetRequiredService<DataDirectory>().Path, "identity", IdentityBootstrap.CredentialsFileName);
}
