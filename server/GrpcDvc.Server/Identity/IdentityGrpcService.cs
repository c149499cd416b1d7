using Grpc.Core;
using GrpcDvc.Contracts.Identity.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.Assertions;
using GrpcDvc.Server.Identity.Officials;
using GrpcDvc.Server.Identity.Registration;
using GrpcDvc.Server.Identity.SignIn;
using GrpcDvc.Server.Identity.Tokens;
using GrpcDvc.Server.Population;
using GrpcDvc.Server.Text;

namespace GrpcDvc.Server.Identity;

/// <summary>
/// dvc.identity.v1.IdentityService: maps the contract to the identity use cases and back. The
/// rules (registry check, OTP, lockout, rate limits, audit, rotation) live in those use cases.
/// </summary>
public sealed partial class IdentityGrpcService(
    CitizenRegistration registration,
    CitizenSignIn citizenSignIn,
    AssertionExchange assertions,
    OfficialSignIn officialSignIn,
    OfficialAdministration officials,
    OfficialChanges officialChanges,
    OfficialDirectory directory,
    TokenService tokens,
    RevokedSessions revoked,
    AccountNames names,
    IAgencyScope agencyScope) : IdentityService.IdentityServiceBase
{
    // The domain names the challenge and its code; the contract calls them registration and otp.
    private static readonly Dictionary<string, string> RegistrationFields = new(StringComparer.Ordinal)
    {
        ["challenge_id"] = "registration_id",
        ["code"] = "otp",
    };

    private static readonly Dictionary<string, string> OfficialFields = new(StringComparer.Ordinal)
    {
        ["agency_unit_code"] = "agency_code",
        ["password"] = "initial_password",
    };

    public override async Task<StartCitizenRegistrationResponse> StartCitizenRegistration(StartCitizenRegistrationRequest request, ServerCallContext context)
    {
        if (!BirthDate.TryParse(request.BirthDate.Trim(), out var birthDate, out var error))
        {
            IdentityErrors.Throw(IdentityFailure.Invalid(IdentityReasons.BirthDateInvalid, "birth_date", error));
        }

        var details = new RegistrationDetails(request.IdNumber, request.FullName, birthDate, request.Phone) { ClientRequestId = request.ClientRequestId };
        var sent = (await registration.StartAsync(details, IdentityMapping.Client(context), context.CancellationToken)).OrThrow(RegistrationFields);
        MobileNumber.TryNormalize(request.Phone, out var phone);
        return new StartCitizenRegistrationResponse
        {
            RegistrationId = sent.ChallengeId.ToString("D"),
            OtpExpiresAt = IdentityMapping.Time(sent.ExpiresAt),
            ResendAllowedAt = IdentityMapping.Time(sent.ResendAvailableAt),
            MaskedPhone = Mask(phone),
        };
    }

    public override async Task<ResendRegistrationOtpResponse> ResendRegistrationOtp(ResendRegistrationOtpRequest request, ServerCallContext context)
    {
        var sent = (await registration.ResendAsync(RegistrationId(request.RegistrationId), IdentityMapping.Client(context), context.CancellationToken))
            .OrThrow(RegistrationFields);
        return new ResendRegistrationOtpResponse
        {
            OtpExpiresAt = IdentityMapping.Time(sent.ExpiresAt),
            ResendAllowedAt = IdentityMapping.Time(sent.ResendAvailableAt),
        };
    }

    public override async Task<TokenResponse> CompleteCitizenRegistration(CompleteCitizenRegistrationRequest request, ServerCallContext context)
    {
        var signedIn = await registration.ConfirmAsync(
            RegistrationId(request.RegistrationId), request.Otp, request.Password, IdentityMapping.Client(context), context.CancellationToken);
        return await RespondAsync(signedIn.OrThrow(RegistrationFields), context);
    }

    public override async Task<TokenResponse> SignInCitizen(SignInCitizenRequest request, ServerCallContext context)
        => await RespondAsync((await citizenSignIn.SignInAsync(request.IdNumber, request.Password, IdentityMapping.Client(context), context.CancellationToken)).OrThrow(), context);

    public override async Task<TokenResponse> ExchangeIdentityAssertion(ExchangeIdentityAssertionRequest request, ServerCallContext context)
        => await RespondAsync((await assertions.ExchangeAsync(request.Assertion, IdentityMapping.Client(context), context.CancellationToken)).OrThrow(), context);

    public override async Task<TokenResponse> SignInOfficial(SignInOfficialRequest request, ServerCallContext context)
    {
        var signedIn = await officialSignIn.SignInAsync(request.Username, request.Password, request.TotpCode, IdentityMapping.Client(context), context.CancellationToken);
        return await RespondAsync(signedIn.OrThrow(), context);
    }

    public override async Task<TokenResponse> RefreshTokens(RefreshTokensRequest request, ServerCallContext context)
    {
        RequireRefreshToken(request.RefreshToken);
        var refreshed = await tokens.RefreshAsync(request.RefreshToken, IdentityMapping.Client(context), context.CancellationToken);
        if (!refreshed.Succeeded)
        {
            // A reused token or a disabled account has just revoked a session: its access tokens stop here at once.
            revoked.MarkStale();
        }

        return await RespondAsync(refreshed.OrThrow(), context);
    }

    public override async Task<SignOutResponse> SignOut(SignOutRequest request, ServerCallContext context)
    {
        RequireRefreshToken(request.RefreshToken);
        if (!await tokens.RevokeAsync(request.RefreshToken, context.CancellationToken))
        {
            IdentityErrors.Throw(new IdentityFailure(FailureKind.Unauthenticated, IdentityReasons.RefreshTokenInvalid, "The refresh token is not valid."));
        }

        revoked.MarkStale();
        return new SignOutResponse();
    }

    public override async Task<WhoAmIResponse> WhoAmI(WhoAmIRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        return new WhoAmIResponse { Caller = IdentityMapping.ToMessage(caller, await names.DisplayNameAsync(caller, context.CancellationToken)) };
    }

    public override async Task<CreateOfficialResponse> CreateOfficial(CreateOfficialRequest request, ServerCallContext context)
    {
        // The policy lets only administrators in; an administrator appoints officials only within
        // their own unit and the units under it. An empty code is left to the domain's validation.
        // OfficialAdministration checks the role again.
        if (request.AgencyCode.Length > 0)
        {
            await context.EnsureWithinAgencyAsync(agencyScope, [request.AgencyCode]);
        }

        var admin = context.GetCaller();
        var official = new NewOfficial(request.Username, request.FullName, request.AgencyCode, [.. request.Roles.Distinct()], request.InitialPassword)
        {
            ClientRequestId = request.ClientRequestId,
        };
        var enrolled = (await officials.CreateAsync(admin, official, IdentityMapping.Client(context), context.CancellationToken)).OrThrow(OfficialFields);
        return new CreateOfficialResponse { AccountId = enrolled.OfficialId.ToString("D"), TotpProvisioningUri = enrolled.TotpUri };
    }

    private async Task<TokenResponse> RespondAsync(SignedIn signedIn, ServerCallContext context)
        => IdentityMapping.ToResponse(signedIn, await names.DisplayNameAsync(signedIn.Caller, context.CancellationToken));

    private static Guid RegistrationId(string value)
    {
        if (!Guid.TryParse(value, out var id))
        {
            IdentityErrors.Throw(IdentityFailure.Invalid(IdentityReasons.OtpNotFound, "registration_id", "Not a registration id this service issued."));
        }

        return id;
    }

    private static void RequireRefreshToken(string token)
    {
        if (string.IsNullOrEmpty(token))
        {
            IdentityErrors.Throw(IdentityFailure.Invalid(IdentityReasons.RefreshTokenInvalid, "refresh_token", "A refresh token is required."));
        }
    }

    /// <summary>"+84912345678" → "*******678": enough for the citizen to recognise the phone, not to learn it.</summary>
    private static string Mask(string e164)
        => e164.Length <= 3 ? e164 : new string('*', e164.Length - 3) + e164[^3..];
}
