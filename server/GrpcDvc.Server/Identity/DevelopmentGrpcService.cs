using System.Globalization;
using Grpc.Core;
using GrpcDvc.Contracts.Identity.V1;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.Assertions;
using GrpcDvc.Server.Identity.Registration;
using GrpcDvc.Server.Text;

namespace GrpcDvc.Server.Identity;

/// <summary>
/// dvc.identity.v1.DevelopmentService: the SMS outbox and the development VNeID-style issuer,
/// for the demo and the tests. Bound only when Dvc:Identity:Development:Enabled is true; in
/// production the rpcs do not exist (UNIMPLEMENTED), so nobody reads other people's codes.
/// </summary>
public sealed class DevelopmentGrpcService(SmsOutbox outbox, DevelopmentIdentityIssuer issuer) : DevelopmentService.DevelopmentServiceBase
{
    private const int MaxMessages = 50;

    public override async Task<ListSmsMessagesResponse> ListSmsMessages(ListSmsMessagesRequest request, ServerCallContext context)
    {
        if (!MobileNumber.TryNormalize(request.Phone, out var phone))
        {
            IdentityErrors.Throw(IdentityFailure.Invalid(IdentityReasons.PhoneInvalid, "phone", "A Vietnamese mobile number, e.g. 0912 345 678."));
        }

        var inbox = await outbox.InboxAsync(phone, context.CancellationToken);
        return new ListSmsMessagesResponse
        {
            Messages =
            {
                inbox.Take(MaxMessages).Select(m => new SmsMessage
                {
                    Id = m.MessageId.ToString("D"),
                    Phone = m.Phone,
                    Text = m.Text ?? "", // erased: the code in it has expired
                    SentAt = IdentityMapping.Time(m.CreatedAt),
                }),
            },
        };
    }

    public override Task<IssueDevelopmentAssertionResponse> IssueDevelopmentAssertion(IssueDevelopmentAssertionRequest request, ServerCallContext context)
    {
        if (CitizenIdNumber.Check(request.IdNumber) is { } malformed)
        {
            IdentityErrors.Throw(malformed);
        }

        if (string.IsNullOrWhiteSpace(request.FullName))
        {
            IdentityErrors.Throw(IdentityFailure.Invalid(IdentityReasons.NameInvalid, "full_name", "The full name is required."));
        }

        // VNeID vouches for full dates only (the assertion's birthdate claim is yyyy-MM-dd).
        if (!DateOnly.TryParseExact(request.BirthDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birthDate))
        {
            IdentityErrors.Throw(IdentityFailure.Invalid(IdentityReasons.BirthDateInvalid, "birth_date", "Write the birth date as yyyy-MM-dd."));
        }

        if (CitizenIdNumber.Check(request.IdNumber, birthDate) is { } misfit)
        {
            IdentityErrors.Throw(misfit);
        }

        if (request.AssuranceLevel is not (1 or 2))
        {
            IdentityErrors.Throw(IdentityFailure.Invalid(IdentityReasons.AssertionLevelInsufficient, "assurance_level", "The level is 1 or 2."));
        }

        var assertion = issuer.Mint(request.IdNumber, request.FullName.Trim(), birthDate, request.AssuranceLevel);
        return Task.FromResult(new IssueDevelopmentAssertionResponse { Assertion = assertion });
    }
}
