using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Registration;
using GrpcDvc.Server.Population;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Tests.Identity;

/// <summary>What each send leaves behind: the 60 s window from the latest send, the send count, and the gateway's message id.</summary>
public sealed class OtpSendWindowTests : IAsyncLifetime
{
    private const string IdNumber = "001090004567";
    private const string Phone = "+84912345678";
    private static readonly ClientContext Client = new("203.0.113.12");
    private IdentityHarness _harness = null!;

    public Task InitializeAsync()
    {
        _harness = IdentityHarness.Start();
        _harness.Registry.Add(IdNumber, "Nguyễn Văn An", new DateOnly(1990, 5, 17), Phone);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Resend_WaitsSixtySecondsFromTheLatestSend_NotTheFirst()
    {
        var started = await StartAsync(null);
        _harness.Time.Advance(TimeSpan.FromSeconds(60));
        Assert.True((await ResendAsync(started.Value.ChallengeId)).Succeeded);
        _harness.Time.Advance(TimeSpan.FromSeconds(30));

        var tooSoon = await ResendAsync(started.Value.ChallengeId);

        Assert.Equal((IdentityReasons.OtpResendTooSoon, TimeSpan.FromSeconds(30)), (tooSoon.Failure?.Reason, tooSoon.Failure?.RetryAfter));
    }

    [Fact]
    public async Task SendCount_OfAChallenge_CountsItsSends()
    {
        var started = await StartAsync(null);
        _harness.Time.Advance(TimeSpan.FromSeconds(60));
        await ResendAsync(started.Value.ChallengeId);
        _harness.Time.Advance(TimeSpan.FromSeconds(60));
        await ResendAsync(started.Value.ChallengeId);

        Assert.Equal(3, await _harness.QueryAsync(db => db.Set<OtpChallengeRecord>().Select(c => c.SendCount).SingleAsync()));
    }

    [Fact]
    public async Task Sent_CarriesTheGatewaysMessageId_AndARetriedRequest_NoneSinceNothingWasSent()
    {
        var started = await StartAsync("req-11");
        var retried = await StartAsync("req-11");

        var inbox = await _harness.Sms.InboxAsync(Phone);
        Assert.Equal(inbox.Single().MessageId.ToString("D"), started.Value.SmsMessageId);
        Assert.Equal((started.Value.ChallengeId, ""), (retried.Value.ChallengeId, retried.Value.SmsMessageId));
    }

    private Task<IdentityResult<OtpSent>> StartAsync(string? requestId)
        => _harness.RunAsync<CitizenRegistration, IdentityResult<OtpSent>>(r => r.StartAsync(
            new RegistrationDetails(IdNumber, "Nguyễn Văn An", BirthDate.Full(1990, 5, 17), "0912 345 678") { ClientRequestId = requestId }, Client, CancellationToken.None));

    private Task<IdentityResult<OtpSent>> ResendAsync(Guid challengeId)
        => _harness.RunAsync<CitizenRegistration, IdentityResult<OtpSent>>(r => r.ResendAsync(challengeId, Client, CancellationToken.None));
}
