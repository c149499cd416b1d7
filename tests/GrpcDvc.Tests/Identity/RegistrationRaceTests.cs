using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.Registration;
using GrpcDvc.Server.Identity.Tokens;
using GrpcDvc.Server.Population;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// Registration when something commits between its check and its save: a rival registration of the
/// same ID number opening the account first, and a save that fails for no such reason. Each race is
/// staged deterministically. (The same request racing itself, and other sends to one phone at once,
/// are in OtpSendRaceTests: they now wait for each other.)
/// </summary>
public sealed class RegistrationRaceTests : OnRegistrableCitizen
{
    private const string Password = "Hoa sen 2026";
    private static readonly ClientContext Client = new("203.0.113.10");

    [Fact]
    public async Task Confirm_AfterARivalRegistrationOfTheSameIdNumberOpenedTheAccount_IsAlreadyExists_AndOneAccountStands()
    {
        // Two registrations of one ID number, both started before either was confirmed: the later confirmation loses.
        var first = await StartAsync(null);
        var firstCode = await Harness.LatestCodeAsync(Phone);
        Harness.Time.Advance(TimeSpan.FromSeconds(60));
        var rival = await StartAsync(null);
        Assert.True((await ConfirmAsync(rival.Value.ChallengeId, await Harness.LatestCodeAsync(Phone), "Rival sen 2027")).Succeeded);

        var late = await ConfirmAsync(first.Value.ChallengeId, firstCode, Password);

        Assert.Equal((FailureKind.AlreadyExists, IdentityReasons.AccountExists), (late.Failure?.Kind, late.Failure?.Reason));
        var account = await Harness.QueryAsync(db => db.Set<CitizenAccountRecord>().AsNoTracking().SingleAsync());
        var hasher = Harness.Services.GetRequiredService<PasswordHasher>();
        Assert.Equal(PasswordCheck.Correct, hasher.Verify("Rival sen 2027", account.PasswordHash));
    }

    [Fact]
    public async Task Confirm_WhoseAccountWriteFails_WithNoAccountForTheIdNumber_Throws()
    {
        // Only a rival's account turns a failed save into "already exists"; any other failure is not hidden.
        var started = await StartAsync(null);
        var code = await Harness.LatestCodeAsync(Phone);
        await Harness.QueryAsync(db => db.Database.ExecuteSqlRawAsync(
            "CREATE TRIGGER refuse_accounts BEFORE INSERT ON citizen_accounts BEGIN SELECT RAISE(ABORT, 'refused'); END"));

        await Assert.ThrowsAsync<DbUpdateException>(() => ConfirmAsync(started.Value.ChallengeId, code, Password));
    }

    private Task<IdentityResult<OtpSent>> StartAsync(string? requestId)
        => Harness.RunAsync<CitizenRegistration, IdentityResult<OtpSent>>(r => r.StartAsync(
            new RegistrationDetails(IdNumber, "Nguyễn Văn An", BirthDate.Full(1990, 5, 17), "0912 345 678") { ClientRequestId = requestId }, Client, CancellationToken.None));

    private Task<IdentityResult<SignedIn>> ConfirmAsync(Guid challengeId, string code, string password)
        => Harness.RunAsync<CitizenRegistration, IdentityResult<SignedIn>>(r => r.ConfirmAsync(challengeId, code, password, Client, CancellationToken.None));
}
