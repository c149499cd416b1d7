using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Registration;
using GrpcDvc.Server.Identity.Tokens;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// The SMS code rules at their edges, through registration: the last allowed attempt, the hour of
/// the send limit, the 60 seconds between sends when a registration is started again, what a
/// resend gives a challenge, and which challenges cannot be resent.
/// </summary>
public sealed class OtpBoundaryTests : OnRegistrableCitizen
{
    private static readonly ClientContext Client = new("203.0.113.8");

    [Fact]
    public async Task Otp_RightCodeOnTheFifthAndLastAttempt_OpensTheAccount()
    {
        // Five tries in all: four wrong ones leave one, and that one still counts if it is right.
        var started = await StartAsync();
        var code = await Harness.LatestCodeAsync(Phone);
        var wrong = code == "000000" ? "111111" : "000000";
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(IdentityReasons.OtpInvalid, (await ConfirmAsync(started.Value.ChallengeId, wrong)).Failure?.Reason);
        }

        var confirmed = await ConfirmAsync(started.Value.ChallengeId, code);

        Assert.True(confirmed.Succeeded, confirmed.Failure?.Reason);
    }

    [Fact]
    public async Task Otp_SendLimit_LiftsWhenItsRetryAfterSays_AnHourAfterTheFirstSend()
    {
        var first = await StartAsync();
        for (var i = 0; i < 4; i++)
        {
            Harness.Time.Advance(TimeSpan.FromMinutes(1));
            Assert.True((await ResendAsync(first.Value.ChallengeId)).Succeeded);
        }

        Harness.Time.Advance(TimeSpan.FromMinutes(1));
        var refused = await ResendAsync(first.Value.ChallengeId);
        Assert.Equal(IdentityReasons.OtpSendLimit, refused.Failure?.Reason);

        // That challenge has expired by then; the citizen starts registration again.
        Harness.Time.Advance(refused.Failure!.RetryAfter!.Value - TimeSpan.FromSeconds(1));
        Assert.Equal(IdentityReasons.OtpSendLimit, (await StartAsync()).Failure?.Reason);

        Harness.Time.Advance(TimeSpan.FromSeconds(1));
        var again = await StartAsync();
        Assert.True(again.Succeeded, again.Failure?.Reason);
    }

    [Fact]
    public async Task Registration_StartedAgainWithin60Seconds_IsThrottled_AndSendsNoSecondSms()
    {
        Assert.True((await StartAsync()).Succeeded);
        Harness.Time.Advance(TimeSpan.FromSeconds(59));

        var tooSoon = await StartAsync();

        Assert.Equal((IdentityReasons.OtpResendTooSoon, TimeSpan.FromSeconds(1)), (tooSoon.Failure?.Reason, tooSoon.Failure?.RetryAfter));
        Assert.Single(await Harness.Sms.InboxAsync(Phone));
        Harness.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await StartAsync()).Succeeded);
    }

    [Fact]
    public async Task Otp_Sent_SaysWhenItExpiresAndWhenAResendIsAllowed_AResendMovesBoth()
    {
        // Portals count down from these; a resent code lives its own five minutes from its sending.
        var t0 = Harness.Time.GetUtcNow().UtcDateTime;
        var started = await StartAsync();
        Assert.Equal((t0.AddMinutes(5), t0.AddSeconds(60)), (started.Value.ExpiresAt, started.Value.ResendAvailableAt));

        Harness.Time.Advance(TimeSpan.FromMinutes(4));
        var resent = await ResendAsync(started.Value.ChallengeId);
        Assert.Equal((t0.AddMinutes(9), t0.AddMinutes(5)), (resent.Value.ExpiresAt, resent.Value.ResendAvailableAt));

        var code = await Harness.LatestCodeAsync(Phone);
        Harness.Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        var confirmed = await ConfirmAsync(started.Value.ChallengeId, code);
        Assert.True(confirmed.Succeeded, confirmed.Failure?.Reason);
    }

    [Fact]
    public async Task Resend_OfAnExpiredChallenge_IsExpired_AndOfAUsedOne_IsUsed_NeitherSends()
    {
        var expiring = await StartAsync();
        Harness.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(IdentityReasons.OtpExpired, (await ResendAsync(expiring.Value.ChallengeId)).Failure?.Reason);

        var used = await StartAsync();
        Assert.True((await ConfirmAsync(used.Value.ChallengeId, await Harness.LatestCodeAsync(Phone))).Succeeded);
        Harness.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(IdentityReasons.OtpAlreadyUsed, (await ResendAsync(used.Value.ChallengeId)).Failure?.Reason);

        Assert.Equal(2, (await Harness.Sms.InboxAsync(Phone)).Count);
    }

    private Task<IdentityResult<OtpSent>> StartAsync()
        => Harness.RunAsync<CitizenRegistration, IdentityResult<OtpSent>>(r => r.StartAsync(
            new RegistrationDetails(IdNumber, "Nguyễn Văn An", Server.Population.BirthDate.Full(1990, 5, 17), "0912 345 678"), Client, CancellationToken.None));

    private Task<IdentityResult<OtpSent>> ResendAsync(Guid challengeId)
        => Harness.RunAsync<CitizenRegistration, IdentityResult<OtpSent>>(r => r.ResendAsync(challengeId, Client, CancellationToken.None));

    private Task<IdentityResult<SignedIn>> ConfirmAsync(Guid challengeId, string code)
        => Harness.RunAsync<CitizenRegistration, IdentityResult<SignedIn>>(r => r.ConfirmAsync(challengeId, code, "Hoa sen 2026", Client, CancellationToken.None));
}
