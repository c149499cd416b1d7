using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.Officials;
using GrpcDvc.Server.Identity.SignIn;
using GrpcDvc.Server.Identity.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace GrpcDvc.Tests.Identity;

/// <summary>An official's password-and-TOTP sign-in as the use case runs it (no gRPC), on a fake clock.</summary>
public sealed class OfficialSignInRuleTests : OnIdentityHarness
{
    private const string Username = "demo.tiepnhan";
    private const string Password = "Ba con mèo trèo cây cau 2026";
    private static readonly byte[] Seed = new byte[20];
    private static readonly ClientContext Client = new("203.0.113.40");

    [Fact]
    public async Task SignIn_HashedAtTheConfiguredCount_KeepsTheStoredHash_ForAnOfficial()
    {
        // Only a hash below the configured cost is written again; a current one stays byte for byte
        // (a rewrite would pick a new salt, and cost a write on every sign-in).
        var current = Harness.Services.GetRequiredService<PasswordHasher>().Hash(Password);
        var seeded = await Harness.RunAsync<OfficialAdministration, IdentityResult<OfficialEnrolled>?>(a => a.SeedDemoAsync(
            new NewOfficial(Username, "Cán bộ tiếp nhận", "P34-01", [Role.IntakeOfficer], Password), current, Seed, CancellationToken.None));
        Assert.True(seeded?.Succeeded);

        var code = new Totp(Seed).ComputeTotp(Harness.Time.GetUtcNow().UtcDateTime);
        var signedIn = await Harness.RunAsync<OfficialSignIn, IdentityResult<SignedIn>>(s => s.SignInAsync(Username, Password, code, Client, CancellationToken.None));

        Assert.True(signedIn.Succeeded, signedIn.Failure?.Reason);
        Assert.Equal(current, await Harness.QueryAsync(db => db.Set<OfficialAccountRecord>().AsNoTracking()
            .Where(a => a.Username == Username).Select(a => a.PasswordHash).SingleAsync()));
    }
}
