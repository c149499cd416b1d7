using System.Net;
using Google.Rpc;
using Grpc.Core;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Contracts.Common.V1;
using GrpcDvc.Contracts.Identity.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity;
using GrpcDvc.Tests.Access;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// What IdentityService's rpcs decide themselves, before and after the use cases: the contract's field
/// names in refusals (registration_id, refresh_token, official_id, page.*, role), the masked phone,
/// ids in their canonical form, and the caller's own unit as the default of ListOfficials. Called on the
/// service object as grpc-dotnet would, with a call context of our own, so the rpc layer is measured
/// by the mutation runs (the gRPC tests of the same rules run it on the server's threads, where
/// Stryker credits no test).
/// </summary>
public sealed partial class IdentityRpcTests : OnRegistrableCitizen
{
    private static readonly CallerIdentity Admin = new(Guid.NewGuid(), AccountKind.Official, [Role.Administrator], "BCA", null, Guid.NewGuid(), 0);

    [Fact]
    public async Task StartRegistration_AnswersItsIdInCanonicalForm_AndThePhoneMaskedToItsLastThreeDigits()
    {
        var started = await StartAsync(" 1990-05-17 ", "0912 345 678");

        Assert.Equal(Guid.Parse(started.RegistrationId).ToString("D"), started.RegistrationId);
        Assert.Equal("*********678", started.MaskedPhone);
        Assert.True(started.ResendAllowedAt.ToDateTime() < started.OtpExpiresAt.ToDateTime());
        Assert.Equal(Harness.Time.GetUtcNow().UtcDateTime.Add(TimeSpan.FromMinutes(5)), started.OtpExpiresAt.ToDateTime(), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task StartRegistration_ABirthDateThatIsNoDate_IsInvalidArgumentOnBirthDate()
    {
        var refused = await Assert.ThrowsAsync<RpcException>(() => StartAsync("17/05/1990x", "0912345678"));

        AssertInvalid(refused, "birth_date", IdentityReasons.BirthDateInvalid);
        Assert.Empty(await Harness.Sms.InboxAsync(Phone));
    }

    [Fact]
    public async Task CompleteRegistration_AWrongCodeCountsAnAttempt_AnUnknownRegistrationIsNotFoundByTheContractsName_AndAnIdNotIssuedIsInvalid()
    {
        var started = await StartAsync("1990-05-17", "0912345678");
        var code = await Harness.LatestCodeAsync(Phone);

        var wrong = await Assert.ThrowsAsync<RpcException>(() => CallAsync((s, c) => s.CompleteCitizenRegistration(new CompleteCitizenRegistrationRequest
        {
            RegistrationId = started.RegistrationId, Otp = code == "000000" ? "111111" : "000000", Password = "Hoa sen 2026",
        }, c)));
        var unknown = await Assert.ThrowsAsync<RpcException>(() => CallAsync((s, c) => s.CompleteCitizenRegistration(new CompleteCitizenRegistrationRequest
        {
            RegistrationId = Guid.NewGuid().ToString(), Otp = code, Password = "Hoa sen 2026",
        }, c)));
        var notIssued = await Assert.ThrowsAsync<RpcException>(() => CallAsync((s, c) => s.CompleteCitizenRegistration(new CompleteCitizenRegistrationRequest
        {
            RegistrationId = "registration-1", Otp = code, Password = "Hoa sen 2026",
        }, c)));
        var resendNotIssued = await Assert.ThrowsAsync<RpcException>(() => CallAsync((s, c) => s.ResendRegistrationOtp(new ResendRegistrationOtpRequest
        {
            RegistrationId = "",
        }, c)));

        var wrongInfo = wrong.GetRpcStatus()!.GetDetail<ErrorInfo>()!;
        Assert.Equal((StatusCode.Unauthenticated, IdentityReasons.OtpInvalid, "4"), (wrong.StatusCode, wrongInfo.Reason, wrongInfo.Metadata["attempts_left"]));
        Assert.Equal((StatusCode.NotFound, "registration_id"), (unknown.StatusCode, unknown.GetRpcStatus()!.GetDetail<ResourceInfo>()!.ResourceType));
        AssertInvalid(notIssued, "registration_id", IdentityReasons.OtpNotFound);
        AssertInvalid(resendNotIssued, "registration_id", IdentityReasons.OtpNotFound);
    }

    [Fact]
    public async Task CompleteRegistration_TheRightCode_AnswersTokensAndTheCaller_ThenRefreshAndSignOut_TwiceIsStillSignedOut()
    {
        var response = await RegisteredAsync();

        Assert.NotEmpty(response.AccessToken);
        Assert.NotEmpty(response.RefreshToken);
        Assert.True(response.AccessTokenExpiresAt.ToDateTime() < response.RefreshTokenExpiresAt.ToDateTime());
        Assert.Equal((Caller.Types.Kind.Citizen, IdNumber, "Nguyễn Văn An", ""),
            (response.Caller.Kind, response.Caller.IdNumber, response.Caller.DisplayName, response.Caller.AgencyCode));
        Assert.Equal(Guid.Parse(response.Caller.AccountId).ToString("D"), response.Caller.AccountId);

        var refreshed = await CallAsync((s, c) => s.RefreshTokens(new RefreshTokensRequest { RefreshToken = response.RefreshToken }, c));
        var signedOut = await CallAsync((s, c) => s.SignOut(new SignOutRequest { RefreshToken = refreshed.RefreshToken }, c));
        var again = await CallAsync((s, c) => s.SignOut(new SignOutRequest { RefreshToken = refreshed.RefreshToken }, c));
        var afterSignOut = await Assert.ThrowsAsync<RpcException>(() => CallAsync((s, c) => s.RefreshTokens(new RefreshTokensRequest { RefreshToken = refreshed.RefreshToken }, c)));

        Assert.Equal(response.Caller.AccountId, refreshed.Caller.AccountId);
        Assert.NotEqual(response.RefreshToken, refreshed.RefreshToken);
        Assert.Equal((new SignOutResponse(), new SignOutResponse()), (signedOut, again));
        Assert.Equal(StatusCode.Unauthenticated, afterSignOut.StatusCode);
    }

    [Fact]
    public async Task SignOut_EndsTheSessionsAccessTokenOnThisInstanceAtOnce_NotAtTheRevocationListsNextReread()
    {
        var tokens = await RegisteredAsync();
        var reader = Harness.Services.GetRequiredService<IAccessTokenReader>();
        // The first check loads the revocation list; the harness's clock stands still, so the list is never
        // due for a reread on its own: only the sign-out's own mark can make the next check see the revocation.
        Assert.NotNull((await reader.ReadAsync(tokens.AccessToken, CancellationToken.None)).Caller);

        await CallAsync((s, c) => s.SignOut(new SignOutRequest { RefreshToken = tokens.RefreshToken }, c));
        var after = await reader.ReadAsync(tokens.AccessToken, CancellationToken.None);

        Assert.Equal((null, IdentityReasons.SessionEnded), (after.Caller, after.RefusalReason));
    }

    [Fact]
    public async Task RefreshAndSignOut_WithoutARefreshToken_AreInvalidArgumentOnRefreshToken()
    {
        var refresh = await Assert.ThrowsAsync<RpcException>(() => CallAsync((s, c) => s.RefreshTokens(new RefreshTokensRequest(), c)));
        var signOut = await Assert.ThrowsAsync<RpcException>(() => CallAsync((s, c) => s.SignOut(new SignOutRequest(), c)));
        var unknown = await Assert.ThrowsAsync<RpcException>(() => CallAsync((s, c) => s.SignOut(new SignOutRequest { RefreshToken = "not-a-token" }, c)));

        AssertInvalid(refresh, "refresh_token", IdentityReasons.RefreshTokenInvalid);
        AssertInvalid(signOut, "refresh_token", IdentityReasons.RefreshTokenInvalid);
        Assert.Equal((StatusCode.Unauthenticated, IdentityReasons.RefreshTokenInvalid), (unknown.StatusCode, unknown.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason));
    }

    [Fact]
    public async Task WhoAmI_AnswersTheCallerOfTheCall()
    {
        var answer = await CallAsync((s, c) => s.WhoAmI(new WhoAmIRequest(), c), Admin);

        Assert.Equal((Admin.AccountId.ToString("D"), Caller.Types.Kind.Official, "BCA", ""),
            (answer.Caller.AccountId, answer.Caller.Kind, answer.Caller.AgencyCode, answer.Caller.IdNumber));
        Assert.Equal([Role.Administrator], answer.Caller.Roles);
    }

    [Fact]
    public async Task ListOfficials_RefusesANegativePageSize_ARoleOutsideTheContract_AndAForeignPageToken_EachOnItsField()
    {
        var negative = await Assert.ThrowsAsync<RpcException>(() => CallAsync(
            (s, c) => s.ListOfficials(new ListOfficialsRequest { Page = new PageRequest { PageSize = -1 } }, c), Admin));
        var role = await Assert.ThrowsAsync<RpcException>(() => CallAsync(
            (s, c) => s.ListOfficials(new ListOfficialsRequest { Role = (Role)99 }, c), Admin));
        var token = await Assert.ThrowsAsync<RpcException>(() => CallAsync(
            (s, c) => s.ListOfficials(new ListOfficialsRequest { Page = new PageRequest { PageToken = "bm90LWEtdG9rZW4" } }, c), Admin));

        AssertInvalid(negative, "page.page_size", GrpcDvc.Server.Listing.PageSize.NegativeReason);
        AssertInvalid(role, "role", IdentityReasons.RoleInvalid);
        AssertInvalid(token, "page.page_token", IdentityReasons.PageTokenInvalid);
    }

    [Fact]
    public async Task ListOfficials_WithoutAUnit_ListsTheCallersOwn_AndAPageOfNothingHasNoNextToken()
    {
        var listed = await CallAsync((s, c) => s.ListOfficials(new ListOfficialsRequest { AgencyCode = "  ", Page = new PageRequest { PageSize = 0 } }, c),
            Admin with { AgencyUnit = "P99-NOWHERE" });

        Assert.Empty(listed.Officials);
        Assert.Equal((0, ""), (listed.Page.TotalSize, listed.Page.NextPageToken));
    }

    [Theory]
    [InlineData("")]
    [InlineData("official-7")]
    public async Task OfficialChanges_AnIdThatIsNoUuid_IsInvalidArgumentOnOfficialId_ForEachChange(string id)
    {
        var refusals = new[]
        {
            await Assert.ThrowsAsync<RpcException>(() => CallAsync((s, c) => s.SetOfficialRoles(new SetOfficialRolesRequest { OfficialId = id, Roles = { Role.Auditor } }, c), Admin)),
            await Assert.ThrowsAsync<RpcException>(() => CallAsync((s, c) => s.DisableOfficial(new DisableOfficialRequest { OfficialId = id }, c), Admin)),
            await Assert.ThrowsAsync<RpcException>(() => CallAsync((s, c) => s.EnableOfficial(new EnableOfficialRequest { OfficialId = id }, c), Admin)),
            await Assert.ThrowsAsync<RpcException>(() => CallAsync((s, c) => s.ReenrolOfficialTotp(new ReenrolOfficialTotpRequest { OfficialId = id }, c), Admin)),
        };

        Assert.All(refusals, e => AssertInvalid(e, "official_id", IdentityReasons.OfficialIdInvalid));
    }

    [Fact]
    public async Task OfficialChanges_AUuidWithSpaces_IsReadAsTheId_AndGoesOnToTheChangesOwnRules()
    {
        var unknown = Guid.NewGuid();

        // Admin has no account row here, so the change's own re-reading of the administrator refuses it.
        var refused = await Assert.ThrowsAsync<RpcException>(() => CallAsync(
            (s, c) => s.DisableOfficial(new DisableOfficialRequest { OfficialId = $" {unknown} " }, c), Admin));

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
    }

    /// <summary>The registry's citizen registered through the rpcs, with the code the SMS outbox holds.</summary>
    private async Task<TokenResponse> RegisteredAsync()
    {
        var started = await StartAsync("1990-05-17", "0912345678");
        var code = await Harness.LatestCodeAsync(Phone);
        return await CallAsync((s, c) => s.CompleteCitizenRegistration(new CompleteCitizenRegistrationRequest
        {
            RegistrationId = started.RegistrationId, Otp = code, Password = "Hoa sen 2026",
        }, c));
    }

    /// <summary>StartCitizenRegistration for the registry's citizen, with the birth date and phone as typed.</summary>
    private Task<StartCitizenRegistrationResponse> StartAsync(string birthDate, string phone)
        => CallAsync((s, c) => s.StartCitizenRegistration(new StartCitizenRegistrationRequest
        {
            IdNumber = IdNumber, FullName = "Nguyễn Văn An", BirthDate = birthDate, Phone = phone, ClientRequestId = Guid.NewGuid().ToString(),
        }, c));

    /// <summary>One rpc on the service from a fresh scope, as grpc-dotnet calls it, from 203.0.113.9.</summary>
    private Task<T> CallAsync<T>(Func<IdentityGrpcService, ServerCallContext, Task<T>> call, CallerIdentity? caller = null)
        => Harness.RunAsync<IdentityGrpcService, T>(service =>
        {
            var context = TestCallContext.FromClient("/dvc.identity.v1.IdentityService/Call", IPAddress.Parse("203.0.113.9"), "identity-rpc-tests");
            if (caller is not null)
            {
                context.SetCaller(caller);
            }

            return call(service, context);
        });

    private static void AssertInvalid(RpcException e, string field, string reason)
    {
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        var violation = Assert.Single(e.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations);
        Assert.Equal((field, reason), (violation.Field, violation.Reason));
    }
}
