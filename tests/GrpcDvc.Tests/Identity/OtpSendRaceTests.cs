using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Registration;
using GrpcDvc.Server.Population;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// Sends to one phone happen one at a time, so the throttle's look at the sends so far and the send it
/// allows cannot be split by a request arriving in between: a second request for the phone that arrives
/// while a code is on its way waits for it, then is answered as if it came after. The same request id
/// gets the first copy's challenge and no SMS of its own; another start or a second resend is told it
/// is too soon. On PostgreSQL the second request comes through a second instance on the same database.
/// Each race is staged: the second request is sent while the first's SMS is out.
/// </summary>
public abstract class OtpSendRaceTests : IAsyncLifetime
{
    private const string IdNumber = "001090004567";
    private const string Phone = "+84912345678";
    private static readonly ClientContext Client = new("203.0.113.11");

    private IdentityHarness _first = null!;
    private IdentityHarness _second = null!;

    public async Task InitializeAsync()
    {
        (_first, _second) = await StartAsync(services => services
            .AddSingleton<SteppingSmsGateway>()
            .AddSingleton<ISmsGateway>(sp => sp.GetRequiredService<SteppingSmsGateway>()));
        foreach (var harness in new[] { _first, _second }.Distinct())
        {
            harness.Registry.Add(IdNumber, "Nguyễn Văn An", new DateOnly(1990, 5, 17), Phone);
        }
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        if (_second != _first)
        {
            await _second.DisposeAsync();
        }
    }

    /// <summary>The instance the first request goes to (its SMS gateway steps), and the one the second goes to.</summary>
    protected abstract Task<(IdentityHarness First, IdentityHarness Second)> StartAsync(Action<IServiceCollection> stepping);

    private SteppingSmsGateway Gateway => _first.Services.GetRequiredService<SteppingSmsGateway>();

    [Fact]
    public async Task Start_RepeatedWhileTheFirstCopysCodeIsOnItsWay_GetsTheFirstCopysChallenge_AndNoSmsOfItsOwn()
    {
        Task<IdentityResult<OtpSent>>? repeat = null;
        Gateway.AfterNextSend(() => WhileSending(repeat = StartAsync(_second, "req-7")));

        var first = await StartAsync(_first, "req-7");
        var second = await repeat!;

        Assert.True(first.Succeeded, first.Failure?.Reason);
        Assert.True(second.Succeeded, second.Failure?.Reason);
        Assert.Equal(first.Value.ChallengeId, second.Value.ChallengeId);
        Assert.Equal((1, 1), await CountsAsync());
    }

    [Fact]
    public async Task AnotherStart_WhileACodeIsOnItsWayToThePhone_IsTooSoon_AndSendsNothing()
    {
        Task<IdentityResult<OtpSent>>? other = null;
        Gateway.AfterNextSend(() => WhileSending(other = StartAsync(_second, "req-8")));

        var first = await StartAsync(_first, null);
        var second = await other!;

        Assert.True(first.Succeeded, first.Failure?.Reason);
        Assert.Equal((FailureKind.RateLimited, IdentityReasons.OtpResendTooSoon), (second.Failure?.Kind, second.Failure?.Reason));
        Assert.Equal((1, 1), await CountsAsync());
    }

    [Fact]
    public async Task Resend_WhileAnotherResendOfTheChallengeIsSending_IsTooSoon_AndSendsNothing()
    {
        var started = await StartAsync(_first, null);
        foreach (var harness in new[] { _first, _second }.Distinct())
        {
            harness.Time.Advance(TimeSpan.FromSeconds(61));
        }

        Task<IdentityResult<OtpSent>>? other = null;
        Gateway.AfterNextSend(() => WhileSending(other = ResendAsync(_second, started.Value.ChallengeId)));
        var first = await ResendAsync(_first, started.Value.ChallengeId);
        var second = await other!;

        Assert.True(first.Succeeded, first.Failure?.Reason);
        Assert.Equal(IdentityReasons.OtpResendTooSoon, second.Failure?.Reason);
        Assert.Equal((1, 2), await CountsAsync());
    }

    /// <summary>Gives the second request time to reach the phone's lock while the first one's SMS is out; it must still be waiting then.</summary>
    private static async Task WhileSending(Task<IdentityResult<OtpSent>> second)
    {
        await Task.Delay(300);
        Assert.False(second.IsCompleted, "The second request was answered while the first one's code was still on its way.");
    }

    private static Task<IdentityResult<OtpSent>> StartAsync(IdentityHarness harness, string? requestId)
        => harness.RunAsync<CitizenRegistration, IdentityResult<OtpSent>>(r => r.StartAsync(
            new RegistrationDetails(IdNumber, "Nguyễn Văn An", BirthDate.Full(1990, 5, 17), "0912 345 678") { ClientRequestId = requestId },
            Client, CancellationToken.None));

    private static Task<IdentityResult<OtpSent>> ResendAsync(IdentityHarness harness, Guid challengeId)
        => harness.RunAsync<CitizenRegistration, IdentityResult<OtpSent>>(r => r.ResendAsync(challengeId, Client, CancellationToken.None));

    /// <summary>Challenges stored, and SMS accepted for the phone.</summary>
    private async Task<(int Challenges, int Sms)> CountsAsync()
        => (await _first.QueryAsync(db => db.Set<OtpChallengeRecord>().CountAsync()), (await _first.Sms.InboxAsync(Phone)).Count);
}

public sealed class OtpSendRaceOnSqliteTests : OtpSendRaceTests
{
    protected override Task<(IdentityHarness First, IdentityHarness Second)> StartAsync(Action<IServiceCollection> stepping)
    {
        var harness = IdentityHarness.Start(configure: stepping);
        return Task.FromResult((harness, harness));
    }
}

[Collection(PostgresCollection.Name)]
public sealed class OtpSendRaceOnPostgresTests(PostgresCluster cluster) : OtpSendRaceTests
{
    protected override async Task<(IdentityHarness First, IdentityHarness Second)> StartAsync(Action<IServiceCollection> stepping)
    {
        var database = await cluster.CreateDatabaseAsync();
        return (IdentityHarness.Start(database, configure: stepping), IdentityHarness.Start(database));
    }
}
