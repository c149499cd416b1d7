using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Contracts.Identity.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Officials;
using GrpcDvc.Server.Identity.Tokens;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// How identity's answers leave the server, called directly (the gRPC tests see the same through a channel):
/// each failure kind's status code and the details a client reads (ErrorInfo reason and domain, a field
/// violation under the request's own field name, QuotaFailure, PreconditionFailure, ResourceInfo, RetryInfo
/// in whole seconds rounded up), and a sign-in's tokens and caller as the contract's messages.
/// </summary>
public sealed class IdentityStatusTests
{
    [Theory]
    [InlineData(FailureKind.InvalidArgument, StatusCode.InvalidArgument)]
    [InlineData(FailureKind.Unauthenticated, StatusCode.Unauthenticated)]
    [InlineData(FailureKind.PermissionDenied, StatusCode.PermissionDenied)]
    [InlineData(FailureKind.FailedPrecondition, StatusCode.FailedPrecondition)]
    [InlineData(FailureKind.RateLimited, StatusCode.ResourceExhausted)]
    [InlineData(FailureKind.AlreadyExists, StatusCode.AlreadyExists)]
    [InlineData(FailureKind.NotFound, StatusCode.NotFound)]
    [InlineData(FailureKind.Unavailable, StatusCode.Unavailable)]
    public void EveryKind_HasItsStatusCode_TheMessage_AndAnErrorInfoWithTheReason(FailureKind kind, StatusCode code)
    {
        var status = IdentityErrors.ToRpcException(new IdentityFailure(kind, "SOME_REASON", "Nói rõ điều sai.")).GetRpcStatus()!;

        Assert.Equal(((int)code, "Nói rõ điều sai."), (status.Code, status.Message));
        var info = status.GetDetail<ErrorInfo>()!;
        Assert.Equal(("SOME_REASON", RpcErrors.Domain), (info.Reason, info.Domain));
        Assert.Empty(info.Metadata);
    }

    [Fact]
    public void InvalidArgument_NamesTheRequestsField_WhenTheCallerRenamesIt()
    {
        var failure = IdentityFailure.Invalid("OTP_CODE_INVALID", "challenge_id", "Mã không đúng.");

        var renamed = Violation(IdentityErrors.ToRpcException(failure, new Dictionary<string, string> { ["challenge_id"] = "registration_id" }));
        var kept = Violation(IdentityErrors.ToRpcException(failure, new Dictionary<string, string> { ["other"] = "x" }));
        var unmapped = Violation(IdentityErrors.ToRpcException(failure));

        Assert.Equal(("registration_id", "Mã không đúng.", "OTP_CODE_INVALID"), (renamed.Field, renamed.Description, renamed.Reason));
        Assert.Equal(("challenge_id", "challenge_id"), (kept.Field, unmapped.Field));
    }

    [Fact]
    public void InvalidArgument_WithoutAField_HasAViolationWithAnEmptyField()
        => Assert.Equal("", Violation(IdentityErrors.ToRpcException(new IdentityFailure(FailureKind.InvalidArgument, "R", "M"))).Field);

    [Fact]
    public void AttemptsLeft_TravelsInTheErrorInfosMetadata()
    {
        var status = IdentityErrors.ToRpcException(IdentityFailure.InvalidCredentials() with { AttemptsLeft = 2 }).GetRpcStatus()!;

        Assert.Equal("2", status.GetDetail<ErrorInfo>()!.Metadata["attempts_left"]);
    }

    [Fact]
    public void RateLimited_HasAQuotaFailureAndARetryDelayInWholeSecondsRoundedUp()
    {
        var status = IdentityErrors.ToRpcException(IdentityFailure.RateLimited(TimeSpan.FromMilliseconds(2_100))).GetRpcStatus()!;

        var violation = Assert.Single(status.GetDetail<QuotaFailure>()!.Violations);
        Assert.Equal((IdentityReasons.RateLimited, "Too many requests; try again later."), (violation.Subject, violation.Description));
        Assert.Equal(Duration.FromTimeSpan(TimeSpan.FromSeconds(3)), status.GetDetail<RetryInfo>()!.RetryDelay);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(-5_000, 0)]
    [InlineData(1_000, 1)]
    [InlineData(1, 1)]
    public void RetryDelay_IsNeverNegative_NorEarly(int milliseconds, int seconds)
    {
        var status = IdentityErrors.ToRpcException(IdentityFailure.Locked(TimeSpan.FromMilliseconds(milliseconds))).GetRpcStatus()!;

        Assert.Equal(Duration.FromTimeSpan(TimeSpan.FromSeconds(seconds)), status.GetDetail<RetryInfo>()!.RetryDelay);
    }

    [Fact]
    public void FailedPrecondition_HasAPreconditionViolation_OfTheReasonOnTheField()
    {
        var failure = IdentityFailure.Locked(TimeSpan.FromMinutes(1)) with { Field = "username" };

        var violation = Assert.Single(IdentityErrors.ToRpcException(failure).GetRpcStatus()!.GetDetail<PreconditionFailure>()!.Violations);

        Assert.Equal((IdentityReasons.AccountLocked, "username", "The account is locked after repeated failed sign-ins."),
            (violation.Type, violation.Subject, violation.Description));
        Assert.Equal("", Assert.Single(IdentityErrors.ToRpcException(failure with { Field = null }).GetRpcStatus()!
            .GetDetail<PreconditionFailure>()!.Violations).Subject);
    }

    [Fact]
    public void NotFound_NamesTheResource_OnlyWhenTheFailureHasAField()
    {
        var failure = new IdentityFailure(FailureKind.NotFound, "OFFICIAL_NOT_FOUND", "Không có cán bộ này.") { Field = "official" };

        var info = IdentityErrors.ToRpcException(failure).GetRpcStatus()!.GetDetail<ResourceInfo>()!;

        Assert.Equal(("official", "Không có cán bộ này."), (info.ResourceType, info.Description));
        Assert.Null(IdentityErrors.ToRpcException(failure with { Field = null }).GetRpcStatus()!.GetDetail<ResourceInfo>());
    }

    [Fact]
    public void OnlyTheDetailsOfTheKind_AreSent()
    {
        var status = IdentityErrors.ToRpcException(IdentityFailure.InvalidCredentials()).GetRpcStatus()!;

        Assert.Single(status.Details);
        Assert.Null(status.GetDetail<RetryInfo>());
    }

    [Fact]
    public void OrThrow_AnswersTheValue_OrThrowsTheMappedStatus()
    {
        Assert.Equal(7, IdentityResult<int>.Ok(7).OrThrow());
        var thrown = Assert.Throws<RpcException>(() => ((IdentityResult<int>)IdentityFailure.InvalidCredentials()).OrThrow());
        Assert.Equal((StatusCode.Unauthenticated, IdentityReasons.InvalidCredentials), (thrown.StatusCode, thrown.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason));
        Assert.Throws<RpcException>(() => IdentityErrors.Throw(IdentityFailure.InvalidCredentials()));
    }

    [Fact]
    public void Value_OfAFailure_IsAProgrammingErrorNamingTheReason_NeverADefaultValue()
    {
        // A use case that forgot to check Succeeded must stop there, not carry on with an empty account id.
        var failed = (IdentityResult<Guid>)IdentityFailure.Locked(TimeSpan.FromMinutes(1));

        var thrown = Assert.Throws<InvalidOperationException>(() => failed.Value);

        Assert.Contains(IdentityReasons.AccountLocked, thrown.Message, StringComparison.Ordinal);
        Assert.False(failed.Succeeded);
    }

    [Fact]
    public void SignedIn_BecomesTheTokenResponse_WithTheCallerAsTheContractSaysIt()
    {
        var account = Guid.Parse("8f2c7d4e-1a2b-4c3d-9e8f-0123456789ab");
        var issued = new DateTime(2026, 11, 30, 10, 0, 0, DateTimeKind.Unspecified);
        var citizen = new CallerIdentity(account, AccountKind.Citizen, [Role.Citizen], null, "001203004567", Guid.NewGuid(), 2);
        var signedIn = new SignedIn(citizen, new TokenPair("access", issued, "refresh", issued.AddDays(30)));

        var response = IdentityMapping.ToResponse(signedIn, "Nguyễn Văn An");

        Assert.Equal(("access", "refresh"), (response.AccessToken, response.RefreshToken));
        Assert.Equal((Timestamp.FromDateTime(DateTime.SpecifyKind(issued, DateTimeKind.Utc)), Timestamp.FromDateTime(DateTime.SpecifyKind(issued.AddDays(30), DateTimeKind.Utc))),
            (response.AccessTokenExpiresAt, response.RefreshTokenExpiresAt));
        Assert.Equal(new Caller
        {
            AccountId = "8f2c7d4e-1a2b-4c3d-9e8f-0123456789ab", Kind = Caller.Types.Kind.Citizen, DisplayName = "Nguyễn Văn An",
            Roles = { Role.Citizen }, AgencyCode = "", IdNumber = "001203004567", AssuranceLevel = 2,
        }, response.Caller);
    }

    [Fact]
    public void Official_BecomesTheCallerAndTheAccountMessages()
    {
        var id = Guid.Parse("0a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9");
        var official = new CallerIdentity(id, AccountKind.Official, [Role.IntakeOfficer, Role.Auditor], "P01-H01", null, Guid.NewGuid(), 0);

        Assert.Equal(new Caller
        {
            AccountId = "0a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9", Kind = Caller.Types.Kind.Official, DisplayName = "Trần Thị Bình",
            Roles = { Role.IntakeOfficer, Role.Auditor }, AgencyCode = "P01-H01", IdNumber = "",
        }, IdentityMapping.ToMessage(official, "Trần Thị Bình"));
        Assert.Equal(new OfficialAccount
        {
            AccountId = "0a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9", Username = "binh.tt", FullName = "Trần Thị Bình", AgencyCode = "P01-H01",
            Roles = { Role.IntakeOfficer }, Disabled = true,
        }, IdentityMapping.ToMessage(new OfficialState(id, "binh.tt", "Trần Thị Bình", "P01-H01", [Role.IntakeOfficer], true)));
    }

    private static BadRequest.Types.FieldViolation Violation(RpcException e) => Assert.Single(e.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations);
}
