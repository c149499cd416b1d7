using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace GrpcDvc.Server.Errors;

/// <summary>
/// Builds <see cref="RpcException"/>s that carry a google.rpc.Status (grpc-status-details-bin, through
/// Grpc.StatusProto), so portals get machine-readable reasons (field violations, preconditions, the missing
/// resource, an ErrorInfo reason code to localise) besides the human message.
/// </summary>
public static class RpcErrors
{
    /// <summary>The ErrorInfo domain of every reason code GrpcDvc sends.</summary>
    public const string Domain = "dvc.gov.vn";

    public static RpcException InvalidArgument(string message, params FieldViolation[] violations)
    {
        var badRequest = new BadRequest();
        foreach (var v in violations)
        {
            badRequest.FieldViolations.Add(new BadRequest.Types.FieldViolation
            {
                Field = v.Field,
                Description = v.Description,
                Reason = v.Reason,
            });
        }

        return Create(StatusCode.InvalidArgument, message, badRequest, Reason("INVALID_ARGUMENT"));
    }

    public static RpcException NotFound(string resourceType, string resourceName, string message)
        => Create(StatusCode.NotFound, message,
            new ResourceInfo { ResourceType = resourceType, ResourceName = resourceName, Description = message },
            Reason($"{resourceType.ToUpperInvariant()}_NOT_FOUND"));

    public static RpcException FailedPrecondition(string reason, string subject, string message)
        => Create(StatusCode.FailedPrecondition, message,
            new PreconditionFailure
            {
                Violations = { new PreconditionFailure.Types.Violation { Type = reason, Subject = subject, Description = message } },
            },
            Reason(reason));

    /// <summary>An exception with the given status and detail messages packed into google.rpc.Status.</summary>
    public static RpcException Create(StatusCode code, string message, params IMessage[] details)
    {
        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        foreach (var detail in details)
        {
            status.Details.Add(Any.Pack(detail));
        }

        return status.ToRpcException();
    }

    /// <summary>An ErrorInfo with GrpcDvc's domain.</summary>
    public static ErrorInfo Reason(string reason) => new() { Reason = reason, Domain = Domain };
}
