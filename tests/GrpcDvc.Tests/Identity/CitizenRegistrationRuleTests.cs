using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.Registration;
using GrpcDvc.Server.Identity.SignIn;
using GrpcDvc.Server.Identity.Tokens;
using GrpcDvc.Server.Population;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// Registration's own rules around the code: who may start, what a client's request id means,
/// what the password is held against, and the account a confirmed code opens.
/// </summary>
public sealed class CitizenRegistrationRuleTests : IAsyncLifetime
{
    private const string IdNumber = "001090004567";
    private const string Phone = "+84912345678";
    private const string OtherIdNumber = "079190001234";
    private const string OtherPhone = "+84987654321";
    private const string Password = "Hoa sen 2026";
    private static readonly DateOnly Born = new(1990, 5, 17);
    private static readonly ClientContext Client = new("203.0.113.9");
    private IdentityHarness _harness = null!;

    public Task InitializeAsync()
    {
        _harness = IdentityHarness.Start();
        _harness.Registry.Add(IdNumber, "Nguyễn Văn An", Born, Phone);
        _harness.Registry.Add(OtherIdNumber, "Trần Thị Bình", Born, OtherPhone);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Registration_ForAnIdNumberThatHasAnAccount_IsAlreadyExists_WithoutAskingTheRegistryOrTexting()
    {
        await _harness.QueryAsync(db =>
        {
            db.Add(new CitizenAccountRecord { Id = Guid.NewGuid(), IdNumber = IdNumber, FullName = "Nguyễn Văn An", BirthDate = Born });
            return db.SaveChangesAsync();
        });

        var refused = await StartAsync(IdNumber, "Nguyễn Văn An", "0912 345 678");

        Assert.Equal((FailureKind.AlreadyExists, IdentityReasons.AccountExists), (refused.Failure?.Kind, refused.Failure?.Reason));
        Assert.Equal(0, _harness.Registry.Checks);
        Assert.Empty(await _harness.Sms.InboxAsync(Phone));
    }

    [Fact]
    public async Task RequestId_WithSurroundingSpaces_IsTheSameRequest_AndTextsOnce()
    {
        var first = await StartAsync(IdNumber, "Nguyễn Văn An", "0912 345 678", " req-7 ");
        var retry = await StartAsync(IdNumber, "Nguyễn Văn An", "0912 345 678", "req-7");

        Assert.Equal(first.Value.ChallengeId, retry.Value.ChallengeId);
        Assert.Single(await _harness.Sms.InboxAsync(Phone));
    }

    [Fact]
    public async Task RequestId_Blank_IsNoRequestId_SoAQuickSecondStartIsThrottled()
    {
        // Blank ids are not one shared id: the second start is a new request, too soon after the first.
        Assert.True((await StartAsync(IdNumber, "Nguyễn Văn An", "0912 345 678", "  ")).Succeeded);

        var second = await StartAsync(IdNumber, "Nguyễn Văn An", "0912 345 678", "  ");

        Assert.Equal(IdentityReasons.OtpResendTooSoon, second.Failure?.Reason);
    }

    [Fact]
    public async Task RequestId_ReusedForAnotherCitizen_IsRefusedOnThatField_AndTextsNobody()
    {
        Assert.True((await StartAsync(IdNumber, "Nguyễn Văn An", "0912 345 678", "req-8")).Succeeded);

        var reused = await StartAsync(OtherIdNumber, "Trần Thị Bình", "0987 654 321", "req-8");

        Assert.Equal((IdentityReasons.ClientRequestIdReused, "client_request_id"), (reused.Failure?.Reason, reused.Failure?.Field));
        Assert.Empty(await _harness.Sms.InboxAsync(OtherPhone));
    }

    [Theory]
    [InlineData("An 001090004567")]
    [InlineData("goi 0912345678 nhe")]
    public async Task Confirm_PasswordContainingTheIdNumberOrThePhone_IsTooWeak_WithoutUsingAnAttempt(string password)
    {
        var started = await StartAsync(IdNumber, "Nguyễn Văn An", "0912 345 678");
        var code = await _harness.LatestCodeAsync(Phone);

        var weak = await ConfirmAsync(started.Value.ChallengeId, code, password);

        Assert.Equal(IdentityReasons.PasswordTooWeak, weak.Failure?.Reason);
        Assert.Equal(0, await _harness.QueryAsync(db => db.Set<OtpChallengeRecord>().Select(c => c.Attempts).SingleAsync()));
    }

    [Fact]
    public async Task Confirm_OfAnUnknownChallenge_IsNotFound_OnTheChallengeField()
    {
        var refused = await ConfirmAsync(Guid.NewGuid(), "123456", Password);

        Assert.Equal((FailureKind.NotFound, IdentityReasons.OtpNotFound, "challenge_id"), (refused.Failure?.Kind, refused.Failure?.Reason, refused.Failure?.Field));
    }

    [Fact]
    public async Task Confirm_WithAWrongCode_IsAuditedAsAFailedRegistration_WithItsReason()
    {
        var started = await StartAsync(IdNumber, "Nguyễn Văn An", "0912 345 678");
        var code = await _harness.LatestCodeAsync(Phone);

        await ConfirmAsync(started.Value.ChallengeId, code == "000000" ? "111111" : "000000", Password);

        var audit = await _harness.QueryAsync(db => db.Set<SignInAuditRecord>().SingleAsync(a => a.Method == SignInMethods.Registration));
        Assert.Equal((false, IdentityReasons.OtpInvalid, IdNumber, (Guid?)null), (audit.Succeeded, audit.Reason, audit.Login, audit.AccountId));
    }

    [Fact]
    public async Task Confirm_OpensAnAccountWithTheCheckedDetails_AsNormalized_AndThePasswordHashed()
    {
        var started = await StartAsync(" " + IdNumber, "  Nguyễn   Văn An ", "0912.345.678");
        _harness.Time.Advance(TimeSpan.FromMinutes(2));
        var now = _harness.Time.GetUtcNow().UtcDateTime;

        var confirmed = await ConfirmAsync(started.Value.ChallengeId, await _harness.LatestCodeAsync(Phone), Password);

        Assert.True(confirmed.Succeeded, confirmed.Failure?.Reason);
        var account = await _harness.QueryAsync(db => db.Set<CitizenAccountRecord>().AsNoTracking().SingleAsync());
        Assert.Equal(
            (IdNumber, "Nguyễn Văn An", Born, BirthDatePrecision.Full, (string?)Phone, 0, now, (DateTime?)now),
            (account.IdNumber, account.FullName, account.BirthDate, account.BirthDatePrecision, account.Phone, account.AssuranceLevel, account.CreatedAt, account.LastSignInAt));
        var hasher = _harness.Services.GetRequiredService<PasswordHasher>();
        Assert.Equal(PasswordCheck.Correct, hasher.Verify(Password, account.PasswordHash));
    }

    private Task<IdentityResult<OtpSent>> StartAsync(string idNumber, string name, string phone, string? requestId = null)
        => _harness.RunAsync<CitizenRegistration, IdentityResult<OtpSent>>(r => r.StartAsync(
            new RegistrationDetails(idNumber, name, BirthDate.FromDate(Born), phone) { ClientRequestId = requestId }, Client, CancellationToken.None));

    private Task<IdentityResult<SignedIn>> ConfirmAsync(Guid challengeId, string code, string password)
        => _harness.RunAsync<CitizenRegistration, IdentityResult<SignedIn>>(r => r.ConfirmAsync(challengeId, code, password, Client, CancellationToken.None));
}
