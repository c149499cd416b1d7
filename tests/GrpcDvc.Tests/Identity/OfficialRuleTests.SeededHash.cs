using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Identity;

public sealed partial class OfficialRuleTests
{
    [Fact]
    public async Task SeedDemo_StoresThePasswordHashItIsGiven_NotAHashOfItsOwn()
    {
        // The demo seeding hashes the published password once per process and hands the hash over;
        // the stored hash is that one, whatever initial password the record carries.
        var hasher = new PasswordHasher(Harness.Services.GetRequiredService<IdentityOptions>());
        var seeded = await AdministrationAsync(a => a.SeedDemoAsync(
            Official("demo.hash") with { InitialPassword = "Một mật khẩu khác hẳn 2026" }, hasher.Hash(Password), new byte[20], CancellationToken.None));
        Assert.True(seeded?.Succeeded);

        var stored = await Harness.QueryAsync(db => db.Set<OfficialAccountRecord>().Where(a => a.Username == "demo.hash").Select(a => a.PasswordHash).SingleAsync());

        Assert.Equal(PasswordCheck.Correct, hasher.Verify(Password, stored));
    }
}
