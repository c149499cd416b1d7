using GrpcDvc.Contracts.Auth.V1;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Tests.Identity;

public sealed partial class OfficialRuleTests
{
    [Fact]
    public async Task Reenrol_WhoseSaveFails_Throws_InsteadOfHandingOutASeedThatWasNeverStored()
    {
        // An official who enrolled the URI of an unsaved seed could not sign in, and nobody would know why.
        var admin = await AdminAsync();
        var official = await CreateAsync(admin, "luu.hong", Role.IntakeOfficer);
        var seed = await SeedAsync(official);
        await Harness.QueryAsync(db => db.Database.ExecuteSqlRawAsync(
            "CREATE TRIGGER refuse_reenrolment BEFORE INSERT ON sign_in_audit WHEN NEW.method = 'official_totp_reenrolled' BEGIN SELECT RAISE(ABORT, 'refused'); END"));

        await Assert.ThrowsAsync<DbUpdateException>(() => ChangesAsync(c => c.ReenrolTotpAsync(admin, official, "luu-hong", Client, CancellationToken.None)));

        Assert.Equal(seed, await SeedAsync(official));
    }
}
