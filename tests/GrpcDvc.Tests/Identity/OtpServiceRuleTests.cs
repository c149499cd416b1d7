using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Registration;
using GrpcDvc.Server.Identity.Tokens;
using GrpcDvc.Server.Population;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// OtpService's own answers: unknown challenges, a resend the gateway refuses, two spenders of
/// one checked code, and one challenge's attempts and spending leaving every other challenge alone.
/// </summary>
public sealed class OtpServiceRuleTests : OnRegistrableCitizen
{
    private const string OtherIdNumber = "079190001234";
    private const string OtherPhone = "+84987654321";
    private static readonly ClientContext Client = new("203.0.113.11");

    protected override void Arrange(IdentityHarness harness)
    {
        base.Arrange(harness);
        harness.Registry.Add(OtherIdNumber, "Trần Thị Bình", new DateOnly(1990, 5, 17), OtherPhone);
    }

    [Fact]
    public async Task Resend_OfAnUnknownChallenge_IsNotFound_OnTheChallengeField()
    {
        var refused = await Harness.RunAsync<OtpService, IdentityResult<OtpSent>>(o => o.ResendAsync(Guid.NewGuid(), CancellationToken.None));

        Assert.Equal((FailureKind.NotFound, IdentityReasons.OtpNotFound, "challenge_id"), (refused.Failure?.Kind, refused.Failure?.Reason, refused.Failure?.Field));
    }

    [Fact]
    public async Task Check_OfAnUnknownChallenge_IsNotFound_OnTheChallengeField()
    {
        // CheckAsync is public: a caller that skipped FindAsync still gets an answer, not a crash.
        var refused = await Harness.RunAsync<OtpService, IdentityResult<OtpChallengeRecord>>(o => o.CheckAsync(Guid.NewGuid(), "123456", CancellationToken.None));

        Assert.Equal((FailureKind.NotFound, IdentityReasons.OtpNotFound, "challenge_id"), (refused.Failure?.Kind, refused.Failure?.Reason, refused.Failure?.Field));
    }

    [Fact]
    public async Task Check_WithAWrongCode_IsOtpInvalid_OnTheCodeField()
    {
        // Clients mark the field a failure names: a wrong code is the code's, not the challenge's.
        var started = await StartAsync(IdNumber, "Nguyễn Văn An", "0912 345 678");
        var code = await Harness.LatestCodeAsync(Phone);

        var wrong = await CheckAsync(started.ChallengeId, code == "000000" ? "111111" : "000000");

        Assert.Equal((IdentityReasons.OtpInvalid, "code"), (wrong.Failure?.Reason, wrong.Failure?.Field));
    }

    [Fact]
    public async Task Resend_RefusedByTheGateway_IsSmsDeliveryFailed_AndTheCodeAlreadySentStillWorks()
    {
        var started = await StartAsync(IdNumber, "Nguyễn Văn An", "0912 345 678");
        var code = await Harness.LatestCodeAsync(Phone);
        Harness.Time.Advance(TimeSpan.FromSeconds(60));
        var sms = Harness.Services.GetRequiredService<IdentityOptions>().Sms;
        sms.FailureRate = 1;

        var refused = await Harness.RunAsync<OtpService, IdentityResult<OtpSent>>(o => o.ResendAsync(started.ChallengeId, CancellationToken.None));

        Assert.Equal((FailureKind.Unavailable, IdentityReasons.SmsDeliveryFailed), (refused.Failure?.Kind, refused.Failure?.Reason));
        sms.FailureRate = 0;
        Assert.True((await ConfirmAsync(started.ChallengeId, code)).Succeeded);
    }

    [Fact]
    public async Task Consume_TwoSpendersOfOneCheckedCode_TheSecondIsToldItIsUsed()
    {
        // Two confirmations that both passed the check: only one may go on to open the account.
        var started = await StartAsync(IdNumber, "Nguyễn Văn An", "0912 345 678");
        var code = await Harness.LatestCodeAsync(Phone);
        var first = await CheckAsync(started.ChallengeId, code);
        var second = await CheckAsync(started.ChallengeId, code);

        Assert.Null(await ConsumeAsync(first.Value));
        Assert.Equal(IdentityReasons.OtpAlreadyUsed, (await ConsumeAsync(second.Value))?.Reason);
    }

    [Fact]
    public async Task AttemptsAndSpending_OfOneChallenge_LeaveAnotherChallengeUntouched()
    {
        var mine = await StartAsync(IdNumber, "Nguyễn Văn An", "0912 345 678");
        var mineCode = await Harness.LatestCodeAsync(Phone);
        var other = await StartAsync(OtherIdNumber, "Trần Thị Bình", "0987 654 321");

        var checkedMine = await CheckAsync(mine.ChallengeId, mineCode == "000000" ? "111111" : "000000");
        Assert.Equal(IdentityReasons.OtpInvalid, checkedMine.Failure?.Reason);
        Assert.Null(await ConsumeAsync((await CheckAsync(mine.ChallengeId, mineCode)).Value));

        var untouched = await Harness.QueryAsync(db => db.Set<OtpChallengeRecord>().AsNoTracking().SingleAsync(c => c.Id == other.ChallengeId));
        Assert.Equal((0, (DateTime?)null), (untouched.Attempts, untouched.ConsumedAt));
    }

    private async Task<OtpSent> StartAsync(string idNumber, string name, string phone)
    {
        var result = await Harness.RunAsync<CitizenRegistration, IdentityResult<OtpSent>>(r => r.StartAsync(
            new RegistrationDetails(idNumber, name, BirthDate.Full(1990, 5, 17), phone), Client, CancellationToken.None));
        Assert.True(result.Succeeded, result.Failure?.Reason);
        return result.Value;
    }

    private Task<IdentityResult<OtpChallengeRecord>> CheckAsync(Guid challengeId, string code)
        => Harness.RunAsync<OtpService, IdentityResult<OtpChallengeRecord>>(o => o.CheckAsync(challengeId, code, CancellationToken.None));

    private Task<IdentityFailure?> ConsumeAsync(OtpChallengeRecord challenge)
        => Harness.RunAsync<OtpService, IdentityFailure?>(o => o.ConsumeAsync(challenge, CancellationToken.None));

    private Task<IdentityResult<SignedIn>> ConfirmAsync(Guid challengeId, string code)
        => Harness.RunAsync<CitizenRegistration, IdentityResult<SignedIn>>(r => r.ConfirmAsync(challengeId, code, "Hoa sen 2026", Client, CancellationToken.None));
}
