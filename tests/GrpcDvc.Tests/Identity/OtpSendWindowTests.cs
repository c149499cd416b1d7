using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Registration;
using GrpcDvc.Server.Population;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Tests.Identity;

/// <summary>What each send leaves behind: the 60 s window from the latest send, the send count, and the gateway's message id.</summary>
public sealed class OtpSendWindowTests : OnRegistrableCitizen
{
    private static readonly ClientContext Client = new("203.0.113.12");

    [Fact]
    public async Task Resend_WaitsSixtySecondsFromTheLatestSend_NotTheFirst()
    {
        var started = await StartAsync(null);
        Harness.Time.Advance(TimeSpan.FromSeconds(60));
        Assert.True((await ResendAsync(started.Value.ChallengeId)).Succeeded);
        Harness.Time.Advance(TimeSpan.FromSeconds(30));

        var tooSoon = await ResendAsync(started.Value.ChallengeId);

        Assert.Equal((IdentityReasons.OtpResendTooSoon, TimeSpan.FromSeconds(30)), (tooSoon.Failure?.Reason, tooSoon.Failure?.RetryAfter));
    }

    [Fact]
    public async Task SendCount_OfAChallenge_CountsItsSends()
    {
        var started = await StartAsync(null);
        Harness.Time.Advance(TimeSpan.FromSeconds(60));
        await ResendAsync(started.Value.ChallengeId);
        Harness.Time.Advance(TimeSpan.FromSeconds(60));
        await ResendAsync(started.Value.ChallengeId);

        Assert.Equal(3, await Harness.QueryAsync(db => db.Set<OtpChallengeRecord>().Select(c => c.SendCount).SingleAsync()));
    }

    [Fact]
    public async Task Sent_CarriesTheGatewaysMessageId_AndARetriedRequest_NoneSinceNothingWasSent()
    {
        var started = await StartAsync("req-11");
        var retried = await StartAsync("req-11");

        var inbox = await Harness.Sms.InboxAsync(Phone);
        Assert.Equal(inbox.Single().MessageId.ToString("D"), started.Value.SmsMessageId);
        Assert.Equal((started.Value.ChallengeId, ""), (retried.Value.ChallengeId, retried.Value.SmsMessageId));
    }

    private Task<IdentityResult<OtpSent>> StartAsync(string? requestId)
        => Harness.RunAsync<CitizenRegistration, IdentityResult<OtpSent>>(r => r.StartAsync(
            new RegistrationDetails(IdNumber, "Nguyễn Văn An", BirthDate.Full(1990, 5, 17), "0912 345 678") { ClientRequestId = requestId }, Client, CancellationToken.None));

    private Task<IdentityResult<OtpSent>> ResendAsync(Guid challengeId)
        => Harness.RunAsync<CitizenRegistration, IdentityResult<OtpSent>>(r => r.ResendAsync(challengeId, Client, CancellationToken.None));
}
