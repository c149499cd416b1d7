using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using GrpcDvc.Server.Errors;

namespace GrpcDvc.Server.Identity;

/// <summary>
/// The one place identity failures become gRPC statuses. Every status carries an ErrorInfo with
/// the failure's stable reason; input problems add a BadRequest field violation, rate limits a
/// QuotaFailure and RetryInfo, states a PreconditionFailure (with RetryInfo while locked).
/// </summary>
public static class IdentityErrors
{
    /// <summary>The value of a successful result; throws the mapped status otherwise.</summary>
    /// <param name="fields">Domain field names renamed to the request's (e.g. challenge_id → registration_id).</param>
    public static T OrThrow<T>(this IdentityResult<T> result, IReadOnlyDictionary<string, string>? fields = null)
        => result.Succeeded ? result.Value : throw ToRpcException(result.Failure!, fields);

    [DoesNotReturn]
    public static void Throw(IdentityFailure failure, IReadOnlyDictionary<string, string>? fields = null)
        => throw ToRpcException(failure, fields);

    public static RpcException ToRpcException(IdentityFailure failure, IReadOnlyDictionary<string, string>? fields = null)
    {
        var field = failure.Field is { } f && fields is not null && fields.TryGetValue(f, out var renamed) ? renamed : failure.Field;
        var info = new ErrorInfo { Reason = failure.Reason, Domain = RpcErrors.Domain };
        if (failure.AttemptsLeft is { } left)
        {
            info.Metadata["attempts_left"] = left.ToString(CultureInfo.InvariantCulture);
        }

        var details = new List<IMessage> { info };
        var code = failure.Kind switch
        {
            FailureKind.InvalidArgument => StatusCode.InvalidArgument,
            FailureKind.Unauthenticated => StatusCode.Unauthenticated,
            FailureKind.PermissionDenied => StatusCode.PermissionDenied,
            FailureKind.FailedPrecondition => StatusCode.FailedPrecondition,
            FailureKind.RateLimited => StatusCode.ResourceExhausted,
            FailureKind.AlreadyExists => StatusCode.AlreadyExists,
            FailureKind.NotFound => StatusCode.NotFound,
            FailureKind.Unavailable => StatusCode.Unavailable,
            _ => StatusCode.Internal,
        };
        switch (failure.Kind)
        {
            case FailureKind.InvalidArgument:
                details.Add(new BadRequest
                {
                    FieldViolations = { new BadRequest.Types.FieldViolation { Field = field ?? "", Description = failure.Message, Reason = failure.Reason } },
                });
                break;
            case FailureKind.RateLimited:
                details.Add(new QuotaFailure
                {
                    Violations = { new QuotaFailure.Types.Violation { Subject = failure.Reason, Description = failure.Message } },
                });
                break;
            case FailureKind.FailedPrecondition:
                details.Add(new PreconditionFailure
                {
                    Violations = { new PreconditionFailure.Types.Violation { Type = failure.Reason, Subject = field ?? "", Description = failure.Message } },
                });
                break;
            case FailureKind.NotFound when field is not null:
                details.Add(new ResourceInfo { ResourceType = field, Description = failure.Message });
                break;
        }

        if (failure.RetryAfter is { } wait)
        {
            // Whole seconds, rounded up: a client retrying at the advertised moment must not be early.
            details.Add(new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(Math.Ceiling(Math.Max(wait.TotalSeconds, 0)))) });
        }

        return RpcErrors.Create(code, failure.Message, [.. details]);
    }
}
