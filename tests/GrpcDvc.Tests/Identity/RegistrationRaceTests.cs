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
/// Registration when something commits between its check and its save: the same request racing
/// itself, a rival registration of the same ID number opening the account first, and a save that
/// fails for no such reason. Each race is staged deterministically.
/// </summary>
public sealed class RegistrationRaceTests : IAsyncLifetime
{
    private const string IdNumber = "001090004567";
    private const string Phone = "+84912345678";
    private const string Password = "Hoa sen 2026";
    private static readonly ClientContext Client = new("203.0.113.10");
    private IdentityHarness _harness = null!;

    private SteppingSmsGateway Gateway => _harness.Services.GetRequiredService<SteppingSmsGateway>();

    public Task InitializeAsync()
    {
        _harness = IdentityHarness.Start(configure: services => services
            .AddSingleton<SteppingSmsGateway>()
            .AddSingleton<ISmsGateway>(sp => sp.GetRequiredService<SteppingSmsGateway>()));
        _harness.Registry.Add(IdNumber, "Nguyễn Văn An", new DateOnly(1990, 5, 17), Phone);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Start_RacedByTheSameRequest_AnswersWithTheChallengeThatWon_AndStoresOne()
    {
        // Both copies found no earlier challenge for req-9; the other copy commits while this one's SMS is out.
        IdentityResult<OtpSent> winner = default;
        Gateway.AfterNextSend(async () => winner = await StartAsync("req-9"));

        var loser = await StartAsync("req-9");

        Assert.True(winner.Succeeded, winner.Failure?.Reason);
        Assert.True(loser.Succeeded, loser.Failure?.Reason);
        Assert.Equal(winner.Value.ChallengeId, loser.Value.ChallengeId);
        Assert.Equal(1, await _harness.QueryAsync(db => db.Set<OtpChallengeRecord>().CountAsync()));
    }

    [Fact]
    public async Task Confirm_AfterARivalRegistrationOfTheSameIdNumberOpenedTheAccount_IsAlreadyExists_AndOneAccountStands()
    {
        // Two registrations of one ID number, both started before either was confirmed: the later confirmation loses.
        var first = await StartAsync(null);
        var firstCode = await _harness.LatestCodeAsync(Phone);
        _harness.Time.Advance(TimeSpan.FromSeconds(60));
        var rival = await StartAsync(null);
        Assert.True((await ConfirmAsync(rival.Value.ChallengeId, await _harness.LatestCodeAsync(Phone), "Rival sen 2027")).Succeeded);

        var late = await ConfirmAsync(first.Value.ChallengeId, firstCode, Password);

        Assert.Equal((FailureKind.AlreadyExists, IdentityReasons.AccountExists), (late.Failure?.Kind, late.Failure?.Reason));
        var account = await _harness.QueryAsync(db => db.Set<CitizenAccountRecord>().AsNoTracking().SingleAsync());
        var hasher = _harness.Services.GetRequiredService<PasswordHasher>();
        Assert.Equal(PasswordCheck.Correct, hasher.Verify("Rival sen 2027", account.PasswordHash));
    }

    [Fact]
    public async Task Confirm_WhoseAccountWriteFails_WithNoAccountForTheIdNumber_Throws()
    {
        // Only a rival's account turns a failed save into "already exists"; any other failure is not hidden.
        var started = await StartAsync(null);
        var code = await _harness.LatestCodeAsync(Phone);
        await _harness.QueryAsync(db => db.Database.ExecuteSqlRawAsync(
            "CREATE TRIGGER refuse_accounts BEFORE INSERT ON citizen_accounts BEGIN SELECT RAISE(ABORT, 'refused'); END"));

        await Assert.ThrowsAsync<DbUpdateException>(() => ConfirmAsync(started.Value.ChallengeId, code, Password));
    }

    private Task<IdentityResult<OtpSent>> StartAsync(string? requestId)
        => _harness.RunAsync<CitizenRegistration, IdentityResult<OtpSent>>(r => r.StartAsync(
            new RegistrationDetails(IdNumber, "Nguyễn Văn An", BirthDate.Full(1990, 5, 17), "0912 345 678") { ClientRequestId = requestId }, Client, CancellationToken.None));

    private Task<IdentityResult<SignedIn>> ConfirmAsync(Guid challengeId, string code, string password)
        => _harness.RunAsync<CitizenRegistration, IdentityResult<SignedIn>>(r => r.ConfirmAsync(challengeId, code, password, Client, CancellationToken.None));
}
