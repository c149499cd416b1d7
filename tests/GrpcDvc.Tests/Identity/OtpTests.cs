using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Registration;
using GrpcDvc.Server.Identity.Secrets;
using GrpcDvc.Server.Identity.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Identity;

/// <summary>The SMS code rules, through registration, with the code read from the SMS outbox.</summary>
public sealed class OtpTests : IAsyncLifetime
{
    private const string IdNumber = "001090004567";
    private const string Phone = "+84912345678";
    private const string UnreachableIdNumber = "079190001234";
    private const string UnreachablePhone = "+84987654321";
    private static readonly DateOnly BirthDate = new(1990, 5, 17);
    private static readonly ClientContext Client = new("203.0.113.7");

    private IdentityHarness _harness = null!;

    public Task InitializeAsync()
    {
        _harness = IdentityHarness.Start(settings: new Dictionary<string, string?>
        {
            ["Dvc:Identity:Sms:FailingNumbers:0"] = UnreachablePhone,
        });
        _harness.Registry.Add(IdNumber, "Nguyễn Văn An", BirthDate, Phone);
        _harness.Registry.Add(UnreachableIdNumber, "Trần Thị Bình", BirthDate, UnreachablePhone);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Otp_RightCodeJustBeforeFiveMinutes_OpensTheAccount()
    {
        var started = await StartAsync();
        var code = await _harness.LatestCodeAsync(Phone);
        _harness.Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));

        var confirmed = await ConfirmAsync(started.ChallengeId, code);

        Assert.True(confirmed.Succeeded, confirmed.Failure?.Reason);
        Assert.Equal(IdNumber, confirmed.Value.Caller.IdNumber);
    }

    [Fact]
    public async Task Otp_AfterFiveMinutes_IsExpired()
    {
        var started = await StartAsync();
        var code = await _harness.LatestCodeAsync(Phone);
        _harness.Time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(IdentityReasons.OtpExpired, (await ConfirmAsync(started.ChallengeId, code)).Failure?.Reason);
    }

    [Fact]
    public async Task Otp_FiveWrongCodes_KillTheChallenge_EvenForTheRightCode()
    {
        var started = await StartAsync();
        var code = await _harness.LatestCodeAsync(Phone);
        var wrong = code == "000000" ? "111111" : "000000";

        for (var left = 4; left >= 1; left--)
        {
            var failure = (await ConfirmAsync(started.ChallengeId, wrong)).Failure;
            Assert.Equal(IdentityReasons.OtpInvalid, failure?.Reason);
            Assert.Equal(left, failure?.AttemptsLeft);
        }

        Assert.Equal(IdentityReasons.OtpAttemptsExhausted, (await ConfirmAsync(started.ChallengeId, wrong)).Failure?.Reason);
        Assert.Equal(IdentityReasons.OtpAttemptsExhausted, (await ConfirmAsync(started.ChallengeId, code)).Failure?.Reason);
        Assert.Equal(IdentityReasons.OtpAttemptsExhausted, (await ResendAsync(started.ChallengeId)).Failure?.Reason);
    }

    [Fact]
    public async Task Otp_ResendWithin60Seconds_IsThrottled_AfterwardsOnlyTheNewCodeWorks()
    {
        var started = await StartAsync();
        var firstCode = await _harness.LatestCodeAsync(Phone);
        _harness.Time.Advance(TimeSpan.FromSeconds(59));

        var tooSoon = await ResendAsync(started.ChallengeId);
        Assert.Equal(IdentityReasons.OtpResendTooSoon, tooSoon.Failure?.Reason);
        Assert.Equal(TimeSpan.FromSeconds(1), tooSoon.Failure?.RetryAfter);

        _harness.Time.Advance(TimeSpan.FromSeconds(1));
        var resent = await ResendAsync(started.ChallengeId);
        Assert.True(resent.Succeeded, resent.Failure?.Reason);
        var secondCode = await _harness.LatestCodeAsync(Phone);
        Assert.Equal(2, (await _harness.Sms.InboxAsync(Phone)).Count);

        if (firstCode != secondCode)
        {
            Assert.Equal(IdentityReasons.OtpInvalid, (await ConfirmAsync(started.ChallengeId, firstCode)).Failure?.Reason);
        }

        Assert.True((await ConfirmAsync(started.ChallengeId, secondCode)).Succeeded);
    }

    [Fact]
    public async Task Otp_SixthSendToOnePhoneWithinAnHour_IsRefused_UntilTheFirstAges()
    {
        var started = await StartAsync();
        for (var i = 0; i < 4; i++)
        {
            _harness.Time.Advance(TimeSpan.FromMinutes(1));
            Assert.True((await ResendAsync(started.ChallengeId)).Succeeded);
        }

        _harness.Time.Advance(TimeSpan.FromMinutes(1));
        var refused = await ResendAsync(started.ChallengeId);

        Assert.Equal(IdentityReasons.OtpSendLimit, refused.Failure?.Reason);
        Assert.Equal(TimeSpan.FromMinutes(55), refused.Failure?.RetryAfter);
        Assert.Equal(5, (await _harness.Sms.InboxAsync(Phone)).Count);
    }

    [Fact]
    public async Task Otp_Stored_IsSealedNotTheCode()
    {
        var started = await StartAsync();
        var code = await _harness.LatestCodeAsync(Phone);

        var stored = await _harness.QueryAsync(db => db.Set<OtpChallengeRecord>().SingleAsync(c => c.Id == started.ChallengeId));

        Assert.DoesNotContain(code, stored.CodeSealed, StringComparison.Ordinal);
        var secrets = _harness.Services.GetRequiredService<IdentitySecrets>();
        Assert.Equal(code, System.Text.Encoding.ASCII.GetString(secrets.Unseal(SecretKind.OtpCode, stored.CodeSealed, started.ChallengeId.ToString("N"))));
    }

    [Fact]
    public async Task SmsOutbox_TextAtItsCodesExpiry_IsErased_AndARefusedMessageKeepsNone()
    {
        await StartAsync();
        _harness.Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        var stillLive = await _harness.Sms.InboxAsync(Phone);
        await _harness.RunAsync<CitizenRegistration, IdentityResult<OtpSent>>(r => r.StartAsync(
            new RegistrationDetails(UnreachableIdNumber, "Trần Thị Bình", Server.Population.BirthDate.FromDate(BirthDate), "0987 654 321"), Client, CancellationToken.None));

        _harness.Time.Advance(TimeSpan.FromSeconds(1));
        var expired = await _harness.Sms.InboxAsync(Phone);
        var rows = await _harness.QueryAsync(db => db.Set<SmsOutboxRecord>().AsNoTracking().OrderBy(m => m.Id).ToListAsync());

        Assert.Matches(@"\b\d{6}\b", stillLive.Single().Text);
        Assert.Null(expired.Single().Text);
        Assert.Equal([(SmsOutbox.Accepted, (string?)null), (SmsOutbox.Refused, null)], rows.Select(m => (m.Status, m.TextSealed)));
    }

    [Fact]
    public async Task Otp_SmsRefusedByTheGateway_FailsAndStoresNoChallenge()
    {
        var result = await _harness.RunAsync<CitizenRegistration, IdentityResult<OtpSent>>(r => r.StartAsync(
            new RegistrationDetails(UnreachableIdNumber, "Trần Thị Bình", Server.Population.BirthDate.FromDate(BirthDate), "0987 654 321"), Client, CancellationToken.None));

        Assert.Equal(IdentityReasons.SmsDeliveryFailed, result.Failure?.Reason);
        Assert.Equal(FailureKind.Unavailable, result.Failure?.Kind);
        Assert.Equal(0, await _harness.QueryAsync(db => db.Set<OtpChallengeRecord>().CountAsync()));
        var refused = await _harness.QueryAsync(db => db.Set<SmsOutboxRecord>().SingleAsync());
        Assert.Equal((SmsOutbox.Refused, UnreachablePhone), (refused.Status, refused.Phone));
        Assert.Empty(await _harness.Sms.InboxAsync(UnreachablePhone));
    }

    [Fact]
    public async Task Otp_UsedOnce_CannotBeUsedAgain()
    {
        var started = await StartAsync();
        var code = await _harness.LatestCodeAsync(Phone);
        Assert.True((await ConfirmAsync(started.ChallengeId, code)).Succeeded);

        Assert.Equal(IdentityReasons.OtpAlreadyUsed, (await ConfirmAsync(started.ChallengeId, code)).Failure?.Reason);
    }

    [Fact]
    public async Task Otp_WeakPasswordAtConfirmation_IsRefusedWithoutUsingAnAttempt()
    {
        var started = await StartAsync();
        var code = await _harness.LatestCodeAsync(Phone);

        var weak = await ConfirmAsync(started.ChallengeId, code, password: "12345678");

        Assert.Equal(IdentityReasons.PasswordTooWeak, weak.Failure?.Reason);
        Assert.Equal(0, await _harness.QueryAsync(db => db.Set<OtpChallengeRecord>().Select(c => c.Attempts).SingleAsync()));
        Assert.True((await ConfirmAsync(started.ChallengeId, code)).Succeeded);
    }

    private async Task<OtpSent> StartAsync()
    {
        var result = await _harness.RunAsync<CitizenRegistration, IdentityResult<OtpSent>>(r => r.StartAsync(
            new RegistrationDetails(IdNumber, "Nguyễn  Văn An", Server.Population.BirthDate.FromDate(BirthDate), "0912.345.678"), Client, CancellationToken.None));
        Assert.True(result.Succeeded, result.Failure?.Reason);
        return result.Value;
    }

    private Task<IdentityResult<OtpSent>> ResendAsync(Guid challengeId)
        => _harness.RunAsync<CitizenRegistration, IdentityResult<OtpSent>>(r => r.ResendAsync(challengeId, Client, CancellationToken.None));

    private Task<IdentityResult<SignedIn>> ConfirmAsync(Guid challengeId, string code, string password = "Hoa sen 2026")
        => _harness.RunAsync<CitizenRegistration, IdentityResult<SignedIn>>(r => r.ConfirmAsync(challengeId, code, password, Client, CancellationToken.None));
}
