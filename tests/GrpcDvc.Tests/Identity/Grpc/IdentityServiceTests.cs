using System.Text.RegularExpressions;
using Grpc.Core;
using GrpcDvc.Client;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Contracts.Identity.V1;
using GrpcDvc.Server.Hosting;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Assertions;
using GrpcDvc.Server.Identity.SignIn;
using GrpcDvc.Server.Identity.Tokens;
using GrpcDvc.Server.Population;
using GrpcDvc.Server.Storage;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace GrpcDvc.Tests.Identity.Grpc;

/// <summary>IdentityService and DevelopmentService over gRPC on the real server and database; run once per provider.</summary>
public abstract partial class IdentityServiceTests : IAsyncLifetime
{
    private const string IdNumber = "001090001234";
    private const string FullName = "Nguyễn Văn An";
    private const string Phone = "0912345678";
    private const string Password = "mat-khau-rat-dai";
    private const string AdminPassword = "quan-tri-vien-2026";
    private const string AdminTotpSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    private InProcessServer _server = null!;

    private IdentityService.IdentityServiceClient Identity => new(_server.Channel);

    private DevelopmentService.DevelopmentServiceClient Development => new(_server.Channel);

    public async Task InitializeAsync()
    {
        _server = await StartServerAsync();
        await RegistryCitizens.AddAsync(_server.Services, IdNumber, FullName, BirthDate.Full(1990, 5, 17), Phone);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    protected abstract Task<string?> DatabaseAsync();

    [Fact]
    public async Task Registration_WithTheOtpFromTheSmsOutbox_OpensTheAccount_AndWhoAmISaysWho()
    {
        var started = await StartAsync();
        Assert.Equal("*********678", started.MaskedPhone);

        var tokens = await Identity.CompleteCitizenRegistrationAsync(new CompleteCitizenRegistrationRequest
        {
            RegistrationId = started.RegistrationId,
            Otp = await LatestOtpAsync(Phone),
            Password = Password,
        });
        var me = (await Identity.WhoAmIAsync(new WhoAmIRequest(), Bearer(tokens.AccessToken))).Caller;

        Assert.Equal((Caller.Types.Kind.Citizen, IdNumber, FullName, 0), (me.Kind, me.IdNumber, me.DisplayName, me.AssuranceLevel));
        Assert.Equal([Role.Citizen], me.Roles);
        Assert.Equal(me, tokens.Caller);
        var signedIn = await Identity.SignInCitizenAsync(new SignInCitizenRequest { IdNumber = IdNumber, Password = Password });
        Assert.Equal(me.AccountId, signedIn.Caller.AccountId);
    }

    [Fact]
    public async Task Registration_YearOnlyBirthDateOnTheRecord_MatchesOnlyTheYear()
    {
        await RegistryCitizens.AddAsync(_server.Services, "001055007777", "Lê Thị Hoa", BirthDate.YearOnly(1955), "0987111222");

        var wrongPrecision = await Assert.ThrowsAsync<RpcException>(() => StartAsync("001055007777", "Lê Thị Hoa", "1955-01-01", "0987111222"));
        var started = await StartAsync("001055007777", "lê thị  hoa", "1955", "0987111222");

        Assert.Equal(IdentityReasons.RegistryMismatch, wrongPrecision.GetErrorInfo()?.Reason);
        Assert.NotEmpty(started.RegistrationId);
    }

    [Theory]
    [InlineData("Nguyễn Văn Anh", "1990-05-17", Phone)]
    [InlineData(FullName, "1990-05-18", Phone)]
    [InlineData(FullName, "1990-05-17", "0912345679")]
    [InlineData("Nguyen Van An", "1990-05-17", Phone)]
    public async Task Registration_DetailsUnlikeTheRegistry_AreRefusedWithOneReason(string name, string birthDate, string phone)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => StartAsync(IdNumber, name, birthDate, phone));

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Equal(IdentityReasons.RegistryMismatch, ex.GetErrorInfo()?.Reason);
    }

    [Fact]
    public async Task Registration_BadBirthDate_IsInvalidArgumentOnThatField()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => StartAsync(IdNumber, FullName, "17/05/1990", Phone));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("birth_date", Assert.Single(ex.GetBadRequest()!.FieldViolations).Field);
    }

    [Fact]
    public async Task Registration_RetriedWithTheSameClientRequestId_ReturnsTheFirstAnswer_AndSendsOneSms()
    {
        var first = await StartAsync(requestId: "req-42");
        var retry = await StartAsync(requestId: "req-42");

        Assert.Equal(first.RegistrationId, retry.RegistrationId);
        Assert.Single((await Development.ListSmsMessagesAsync(new ListSmsMessagesRequest { Phone = Phone })).Messages);
    }

    [Fact]
    public async Task Otp_FiveWrongCodes_LockTheRegistration_EvenForTheRightCode()
    {
        var started = await StartAsync();
        var code = await LatestOtpAsync(Phone);
        var wrong = code == "000000" ? "111111" : "000000";

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var ex = await Assert.ThrowsAsync<RpcException>(() => CompleteAsync(started.RegistrationId, wrong));
            Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
            Assert.Equal((5 - attempt).ToString(System.Globalization.CultureInfo.InvariantCulture), ex.GetErrorInfo()!.Metadata["attempts_left"]);
        }

        var fifth = await Assert.ThrowsAsync<RpcException>(() => CompleteAsync(started.RegistrationId, wrong));
        var right = await Assert.ThrowsAsync<RpcException>(() => CompleteAsync(started.RegistrationId, code));

        Assert.Equal((StatusCode.FailedPrecondition, IdentityReasons.OtpAttemptsExhausted), (fifth.StatusCode, fifth.GetErrorInfo()?.Reason));
        Assert.Equal(IdentityReasons.OtpAttemptsExhausted, right.GetErrorInfo()?.Reason);
    }

    [Fact]
    public async Task Otp_ResendAtOnce_IsThrottledWithRetryInfo()
    {
        var started = await StartAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => Identity.ResendRegistrationOtpAsync(new ResendRegistrationOtpRequest { RegistrationId = started.RegistrationId }).ResponseAsync);

        Assert.Equal((StatusCode.ResourceExhausted, IdentityReasons.OtpResendTooSoon), (ex.StatusCode, ex.GetErrorInfo()?.Reason));
        Assert.InRange(ex.GetRetryInfo()!.RetryDelay.ToTimeSpan(), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Exchange_DevelopmentAssertion_SignsInAtItsLevel_Once()
    {
        var assertion = (await Development.IssueDevelopmentAssertionAsync(new IssueDevelopmentAssertionRequest
        {
            IdNumber = IdNumber, FullName = FullName, BirthDate = "1990-05-17", AssuranceLevel = 2,
        })).Assertion;

        var tokens = await Identity.ExchangeIdentityAssertionAsync(new ExchangeIdentityAssertionRequest { Assertion = assertion });
        var replay = await Assert.ThrowsAsync<RpcException>(() => ExchangeAsync(assertion));

        Assert.Equal((IdNumber, 2, FullName), (tokens.Caller.IdNumber, tokens.Caller.AssuranceLevel, tokens.Caller.DisplayName));
        Assert.Equal((StatusCode.Unauthenticated, IdentityReasons.AssertionReplayed), (replay.StatusCode, replay.GetErrorInfo()?.Reason));
    }

    [Fact]
    public async Task Exchange_ForgedExpiredOrUntrustedAssertions_AreRefused()
    {
        var options = _server.Services.GetRequiredService<IdentityOptions>();
        var dataDir = _server.Services.GetRequiredService<DvcOptions>().DataDir;
        var genuine = (await Development.IssueDevelopmentAssertionAsync(new IssueDevelopmentAssertionRequest
        {
            IdNumber = IdNumber, FullName = FullName, BirthDate = "1990-05-17", AssuranceLevel = 1,
        })).Assertion;
        var parts = genuine.Split('.');
        var forgedPayload = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(
            System.Text.Encoding.UTF8.GetString(Base64UrlDecode(parts[1])).Replace("\"level\":1", "\"level\":2", StringComparison.Ordinal)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var forged = $"{parts[0]}.{forgedPayload}.{parts[2]}";
        var past = new FakeTimeProvider(TimeProvider.System.GetUtcNow() - TimeSpan.FromMinutes(10));
        var expired = DevelopmentIdentityIssuer.Load(options, dataDir, past).Mint(IdNumber, FullName, new DateOnly(1990, 5, 17), 1);
        using var strangerKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var stranger = new DevelopmentIdentityIssuer("https://vneid.example.invalid", strangerKey, options.Assertions.PortalClientId, TimeProvider.System)
            .Mint(IdNumber, FullName, new DateOnly(1990, 5, 17), 2);

        Assert.Equal(IdentityReasons.AssertionInvalid, (await Assert.ThrowsAsync<RpcException>(() => ExchangeAsync(forged))).GetErrorInfo()?.Reason);
        Assert.Equal(IdentityReasons.AssertionExpired, (await Assert.ThrowsAsync<RpcException>(() => ExchangeAsync(expired))).GetErrorInfo()?.Reason);
        Assert.Equal(IdentityReasons.AssertionUntrustedIssuer, (await Assert.ThrowsAsync<RpcException>(() => ExchangeAsync(stranger))).GetErrorInfo()?.Reason);
        Assert.True((await ExchangeAsync(genuine)).Caller.AssuranceLevel == 1);
    }

    [Fact]
    public async Task Refresh_RotatesTheToken_AndReusingARotatedOneEndsTheSession()
    {
        var first = await RegisterAsync();
        var second = await Identity.RefreshTokensAsync(new RefreshTokensRequest { RefreshToken = first.RefreshToken });
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
        Assert.Equal(first.Caller.AccountId, (await Identity.WhoAmIAsync(new WhoAmIRequest(), Bearer(second.AccessToken))).Caller.AccountId);

        var reuse = await Assert.ThrowsAsync<RpcException>(() => RefreshAsync(first.RefreshToken));
        var successor = await Assert.ThrowsAsync<RpcException>(() => RefreshAsync(second.RefreshToken));
        var access = await Assert.ThrowsAsync<RpcException>(() => Identity.WhoAmIAsync(new WhoAmIRequest(), Bearer(second.AccessToken)).ResponseAsync);

        Assert.Equal((StatusCode.Unauthenticated, IdentityReasons.RefreshTokenReused), (reuse.StatusCode, reuse.GetErrorInfo()?.Reason));
        Assert.Equal(IdentityReasons.RefreshTokenRevoked, successor.GetErrorInfo()?.Reason);
        Assert.Equal(StatusCode.Unauthenticated, access.StatusCode);
    }

    [Fact]
    public async Task SignOut_RevokesTheRefreshToken_AndTheSessionsAccessToken()
    {
        var tokens = await RegisterAsync();
        var other = await Identity.SignInCitizenAsync(new SignInCitizenRequest { IdNumber = IdNumber, Password = Password });

        await Identity.SignOutAsync(new SignOutRequest { RefreshToken = tokens.RefreshToken });

        Assert.Equal(IdentityReasons.RefreshTokenRevoked, (await Assert.ThrowsAsync<RpcException>(() => RefreshAsync(tokens.RefreshToken))).GetErrorInfo()?.Reason);
        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() => Identity.WhoAmIAsync(new WhoAmIRequest(), Bearer(tokens.AccessToken)).ResponseAsync)).StatusCode);
        Assert.Equal(IdNumber, (await Identity.WhoAmIAsync(new WhoAmIRequest(), Bearer(other.AccessToken))).Caller.IdNumber);
    }

    [Fact]
    public async Task SigningKey_Rotated_TokensSignedBeforeStillValidate()
    {
        var tokens = await RegisterAsync();

        await _server.Services.GetRequiredService<SigningKeyRing>().RotateSigningKeyAsync();

        Assert.Equal(IdNumber, (await Identity.WhoAmIAsync(new WhoAmIRequest(), Bearer(tokens.AccessToken))).Caller.IdNumber);
        Assert.NotEmpty((await Identity.SignInCitizenAsync(new SignInCitizenRequest { IdNumber = IdNumber, Password = Password })).AccessToken);
    }

    [Fact]
    public async Task SignIn_FiveWrongPasswords_LockTheAccountWithBackOff_AndEveryAttemptIsAudited()
    {
        await RegisterAsync();

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            Assert.Equal(IdentityReasons.InvalidCredentials, (await Assert.ThrowsAsync<RpcException>(() => SignInAsync("sai-mat-khau-1"))).GetErrorInfo()?.Reason);
        }

        var locked = await Assert.ThrowsAsync<RpcException>(() => SignInAsync("sai-mat-khau-1"));
        var rightButLocked = await Assert.ThrowsAsync<RpcException>(() => SignInAsync(Password));

        Assert.Equal((StatusCode.FailedPrecondition, IdentityReasons.AccountLocked), (locked.StatusCode, locked.GetErrorInfo()?.Reason));
        Assert.InRange(locked.GetRetryInfo()!.RetryDelay.ToTimeSpan(), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        Assert.Equal(IdentityReasons.AccountLocked, rightButLocked.GetErrorInfo()?.Reason);
        var audit = await QueryAsync(db => db.Set<SignInAuditRecord>().Where(a => a.Login == IdNumber).OrderBy(a => a.Id).ToListAsync());
        Assert.Equal(
            [null, .. Enumerable.Repeat(IdentityReasons.PasswordWrong, 5), IdentityReasons.AccountLocked],
            audit.Select(a => a.Reason));
        Assert.All(audit, a => Assert.Equal("127.0.0.1", a.Address));
    }

    [Fact]
    public async Task SignIn_OverThePerAccountLimit_IsResourceExhaustedWithRetryInfo()
    {
        await using var strict = await StartServerAsync("--Dvc:Identity:RateLimits:SignInPerAccount:Permits=2", "--Dvc:Identity:RateLimits:SignInPerAccount:Window=00:10:00");
        var identity = new IdentityService.IdentityServiceClient(strict.Channel);
        var request = new SignInCitizenRequest { IdNumber = "001090009999", Password = "khong-ton-tai" };

        await Assert.ThrowsAsync<RpcException>(() => identity.SignInCitizenAsync(request).ResponseAsync);
        await Assert.ThrowsAsync<RpcException>(() => identity.SignInCitizenAsync(request).ResponseAsync);
        var limited = await Assert.ThrowsAsync<RpcException>(() => identity.SignInCitizenAsync(request).ResponseAsync);

        Assert.Equal((StatusCode.ResourceExhausted, IdentityReasons.RateLimited), (limited.StatusCode, limited.GetErrorInfo()?.Reason));
        Assert.InRange(limited.GetRetryInfo()!.RetryDelay.ToTimeSpan(), TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
        Assert.NotNull(limited.GetQuotaFailure());
    }

    [Fact]
    public async Task Official_CreatedByTheBootstrapAdministrator_SignsInWithPasswordAndTotp()
    {
        var admin = await SignInOfficialAsync("admin", AdminPassword, Base32Encoding.ToBytes(AdminTotpSecret));
        Assert.Equal([Role.Administrator], admin.Caller.Roles);

        var created = await Identity.CreateOfficialAsync(new CreateOfficialRequest
        {
            ClientRequestId = "create-1",
            Username = "tiepnhan.badinh",
            FullName = "Trần Thị Bình",
            AgencyCode = "CAX-HN-BADINH",
            Roles = { Role.IntakeOfficer, Role.ProcessingOfficer },
            InitialPassword = "tiep-nhan-2026",
        }, Bearer(admin.AccessToken));
        var secret = Base32Encoding.ToBytes(Regex.Match(created.TotpProvisioningUri, "secret=([A-Z2-7]+)").Groups[1].Value);

        var wrongCode = await Assert.ThrowsAsync<RpcException>(() => Identity.SignInOfficialAsync(new SignInOfficialRequest
        {
            Username = "tiepnhan.badinh", Password = "tiep-nhan-2026", TotpCode = WrongCode(secret),
        }).ResponseAsync);
        var official = await SignInOfficialAsync("tiepnhan.badinh", "tiep-nhan-2026", secret);
        var me = (await Identity.WhoAmIAsync(new WhoAmIRequest(), Bearer(official.AccessToken))).Caller;

        Assert.Equal(IdentityReasons.InvalidCredentials, wrongCode.GetErrorInfo()?.Reason);
        Assert.Equal((Caller.Types.Kind.Official, "CAX-HN-BADINH", "Trần Thị Bình"), (me.Kind, me.AgencyCode, me.DisplayName));
        Assert.Equal([Role.IntakeOfficer, Role.ProcessingOfficer], me.Roles);
    }

    [Fact]
    public async Task CreateOfficial_OutsideTheAdministratorsUnit_IsPermissionDenied_InsideItIsCreated()
    {
        var national = await SignInOfficialAsync("admin", AdminPassword, Base32Encoding.ToBytes(AdminTotpSecret));
        var created = await Identity.CreateOfficialAsync(new CreateOfficialRequest
        {
            ClientRequestId = "create-province-admin",
            Username = "quantri.hanoi",
            FullName = "Lê Văn Quản",
            AgencyCode = "P34-01",
            Roles = { Role.Administrator },
            InitialPassword = "quan-tri-ha-noi-2026",
        }, Bearer(national.AccessToken));
        var secret = Base32Encoding.ToBytes(Regex.Match(created.TotpProvisioningUri, "secret=([A-Z2-7]+)").Groups[1].Value);
        var provincial = await SignInOfficialAsync("quantri.hanoi", "quan-tri-ha-noi-2026", secret);

        var outside = await Assert.ThrowsAsync<RpcException>(() => Identity.CreateOfficialAsync(new CreateOfficialRequest
        {
            ClientRequestId = "create-outside",
            Username = "tiepnhan.khac",
            FullName = "Phạm Thị Khác",
            AgencyCode = "P34-04",
            Roles = { Role.IntakeOfficer },
            InitialPassword = "tiep-nhan-khac-2026",
        }, Bearer(provincial.AccessToken)).ResponseAsync);
        var inside = await Identity.CreateOfficialAsync(new CreateOfficialRequest
        {
            ClientRequestId = "create-inside",
            Username = "tiepnhan.hanoi",
            FullName = "Đỗ Văn Trong",
            AgencyCode = "P34-01",
            Roles = { Role.IntakeOfficer },
            InitialPassword = "tiep-nhan-trong-2026",
        }, Bearer(provincial.AccessToken));

        Assert.Equal((StatusCode.PermissionDenied, "OUTSIDE_AGENCY_SCOPE"), (outside.StatusCode, outside.GetErrorInfo()?.Reason));
        Assert.NotEmpty(inside.AccountId);
    }

    [Fact]
    public async Task CreateOfficial_ByACitizen_IsPermissionDenied_AndWithoutACaller_Unauthenticated()
    {
        var citizen = await RegisterAsync();
        var request = new CreateOfficialRequest
        {
            Username = "ke.gia.mao", FullName = "Kẻ Giả Mạo", AgencyCode = "BCA", Roles = { Role.Administrator }, InitialPassword = "gia-mao-2026",
        };

        var denied = await Assert.ThrowsAsync<RpcException>(() => Identity.CreateOfficialAsync(request, Bearer(citizen.AccessToken)).ResponseAsync);
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => Identity.CreateOfficialAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
    }

    [Fact]
    public async Task DevelopmentService_WhenNotEnabled_IsNotServed()
    {
        await using var production = await StartServerAsync("--Dvc:Identity:Development:Enabled=false");

        var ex = await Assert.ThrowsAsync<RpcException>(() => new DevelopmentService.DevelopmentServiceClient(production.Channel).ListSmsMessagesAsync(new ListSmsMessagesRequest { Phone = Phone }).ResponseAsync);

        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }

    private async Task<InProcessServer> StartServerAsync(params string[] extraArgs)
        // Callers come from the production authorization gate, as a portal meets it.
        => await InProcessServer.StartAsync(
            await DatabaseAsync(),
            [
                "--Dvc:Identity:Bootstrap:Username=admin",
                $"--Dvc:Identity:Bootstrap:Password={AdminPassword}",
                $"--Dvc:Identity:Bootstrap:TotpSecret={AdminTotpSecret}",
                .. extraArgs,
            ]);

    private Task<StartCitizenRegistrationResponse> StartAsync(
        string idNumber = IdNumber, string fullName = FullName, string birthDate = "1990-05-17", string phone = Phone, string requestId = "")
        => Identity.StartCitizenRegistrationAsync(new StartCitizenRegistrationRequest
        {
            ClientRequestId = requestId, IdNumber = idNumber, FullName = fullName, BirthDate = birthDate, Phone = phone,
        }).ResponseAsync;

    private Task<TokenResponse> CompleteAsync(string registrationId, string otp)
        => Identity.CompleteCitizenRegistrationAsync(new CompleteCitizenRegistrationRequest { RegistrationId = registrationId, Otp = otp, Password = Password }).ResponseAsync;

    private async Task<TokenResponse> RegisterAsync()
    {
        var started = await StartAsync();
        return await CompleteAsync(started.RegistrationId, await LatestOtpAsync(Phone));
    }

    private Task<TokenResponse> ExchangeAsync(string assertion)
        => Identity.ExchangeIdentityAssertionAsync(new ExchangeIdentityAssertionRequest { Assertion = assertion }).ResponseAsync;

    private Task<TokenResponse> RefreshAsync(string token) => Identity.RefreshTokensAsync(new RefreshTokensRequest { RefreshToken = token }).ResponseAsync;

    private Task<TokenResponse> SignInAsync(string password)
        => Identity.SignInCitizenAsync(new SignInCitizenRequest { IdNumber = IdNumber, Password = password }).ResponseAsync;

    private Task<TokenResponse> SignInOfficialAsync(string username, string password, byte[] secret)
        => Identity.SignInOfficialAsync(new SignInOfficialRequest
        {
            Username = username,
            Password = password,
            TotpCode = new Totp(secret).ComputeTotp(DateTime.UtcNow),
        }).ResponseAsync;

    /// <summary>The code of a step far from now: well formed, and wrong.</summary>
    private static string WrongCode(byte[] secret) => new Totp(secret).ComputeTotp(DateTime.UtcNow.AddMinutes(-50));

    /// <summary>The newest OTP texted to a phone, as the citizen reads it from their inbox (the SMS outbox).</summary>
    private async Task<string> LatestOtpAsync(string phone)
    {
        var inbox = await Development.ListSmsMessagesAsync(new ListSmsMessagesRequest { Phone = phone });
        var match = SixDigits().Match(inbox.Messages[0].Text);
        Assert.True(match.Success, inbox.Messages[0].Text);
        return match.Value;
    }

    private Task<T> QueryAsync<T>(Func<DvcDbContext, Task<T>> query) => WithDbAsync(_server, query);

    private static CallOptions Bearer(string accessToken) => new(new Metadata { { "authorization", "Bearer " + accessToken } });

    private static byte[] Base64UrlDecode(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text);

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();
}

public sealed class IdentityServiceOnSqliteTests : IdentityServiceTests
{
    protected override Task<string?> DatabaseAsync() => Task.FromResult<string?>(null);
}

[Collection(PostgresCollection.Name)]
public sealed class IdentityServiceOnPostgresTests(PostgresCluster cluster) : IdentityServiceTests
{
    protected override async Task<string?> DatabaseAsync() => await cluster.CreateDatabaseAsync();
}
