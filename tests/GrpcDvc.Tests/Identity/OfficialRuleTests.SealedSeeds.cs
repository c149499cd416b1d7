using System.Text.RegularExpressions;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Officials;
using GrpcDvc.Server.Identity.SignIn;
using GrpcDvc.Server.Identity.Tokens;
using OtpNet;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// A TOTP seed is sealed bound to its official's id; these prove the binding each way it is used
/// (sign-in unseals with the id, a retried request answers from the sealed seed), and the refusal an
/// administrator's token alone decides.
/// </summary>
public sealed partial class OfficialRuleTests
{
    [Fact]
    public async Task Create_TheEnrolledSeedSignsIn_AndARetryWithTheSameRequestId_AnswersTheSameUri()
    {
        var admin = await AdminAsync();

        var created = await AdministrationAsync(a => a.CreateAsync(admin, Official("moi.vao") with { ClientRequestId = "tao-moi-vao" }, Client, CancellationToken.None));
        var retried = await AdministrationAsync(a => a.CreateAsync(admin, Official("moi.vao") with { ClientRequestId = "tao-moi-vao" }, Client, CancellationToken.None));

        Assert.True(created.Succeeded && retried.Succeeded, created.Failure?.Reason ?? retried.Failure?.Reason);
        Assert.Equal((created.Value.OfficialId, created.Value.TotpUri), (retried.Value.OfficialId, retried.Value.TotpUri));
        var signedIn = await SignInAsync("moi.vao", SeedOf(created.Value.TotpUri));
        Assert.True(signedIn.Succeeded, signedIn.Failure?.Reason);
    }

    [Fact]
    public async Task Reenrol_OnlyTheNewSeedSignsIn_AndARetryWithTheSameRequestId_AnswersTheSameUri()
    {
        var admin = await AdminAsync();
        var created = await AdministrationAsync(a => a.CreateAsync(admin, Official("mat.may"), Client, CancellationToken.None));

        var reenrolled = await ChangesAsync(c => c.ReenrolTotpAsync(admin, created.Value.OfficialId, "mat-may-2026", Client, CancellationToken.None));
        var retried = await ChangesAsync(c => c.ReenrolTotpAsync(admin, created.Value.OfficialId, "mat-may-2026", Client, CancellationToken.None));

        Assert.True(reenrolled.Succeeded && retried.Succeeded, reenrolled.Failure?.Reason ?? retried.Failure?.Reason);
        Assert.Equal(reenrolled.Value.TotpUri, retried.Value.TotpUri);
        Assert.NotEqual(SeedOf(created.Value.TotpUri), SeedOf(reenrolled.Value.TotpUri));
        Assert.Equal(IdentityReasons.InvalidCredentials, (await SignInAsync("mat.may", SeedOf(created.Value.TotpUri))).Failure?.Reason);
        Assert.True((await SignInAsync("mat.may", SeedOf(reenrolled.Value.TotpUri))).Succeeded);
    }

    [Theory]
    [InlineData(AccountKind.Citizen, Role.Administrator)] // a citizen's token can carry no official role; the kind decides alone
    [InlineData(AccountKind.Official, Role.Auditor)]
    public void NotAdministrator_IsDecidedFromTheTokenAlone_BeforeAnyRead(AccountKind kind, Role role)
    {
        var caller = new CallerIdentity(Guid.NewGuid(), kind, [role], Unit, null, Guid.NewGuid(), 2);

        Assert.Equal(IdentityReasons.PermissionDenied, OfficialAdministration.NotAdministrator(caller)?.Reason);
        Assert.Null(OfficialAdministration.NotAdministrator(caller with { Kind = AccountKind.Official, Roles = [Role.Auditor, Role.Administrator] }));
    }

    private Task<IdentityResult<SignedIn>> SignInAsync(string username, byte[] seed)
    {
        var code = new Totp(seed).ComputeTotp(Harness.Time.GetUtcNow().UtcDateTime);
        return Harness.RunAsync<OfficialSignIn, IdentityResult<SignedIn>>(s => s.SignInAsync(username, Password, code, Client, CancellationToken.None));
    }

    private static byte[] SeedOf(string otpauthUri) => Base32Encoding.ToBytes(Regex.Match(otpauthUri, "secret=([A-Z2-7]+)").Groups[1].Value);
}
