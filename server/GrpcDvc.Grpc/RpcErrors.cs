using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using GrpcDvc.Grpc.Wire;

namespace GrpcDvc.Grpc;

/// <summary>
/// Builds <see cref="RpcException"/>s that carry a google.rpc.Status in grpc-status-details-bin,
/// so portals get machine-readable reasons (field violations, preconditions, the missing resource)
/// besides the human message.
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

        return Create(Wire.StatusCode.InvalidArgument, message, badRequest, Reason("INVALID_ARGUMENT"));
    }

    public static RpcException NotFound(string resourceType, string resourceName, string message)
        => Create(Wire.StatusCode.NotFound, message,
            new ResourceInfo { ResourceType = resourceType, ResourceName = resourceName, Description = message },
            Reason($"{resourceType.ToUpperInvariant()}_NOT_FOUND"));

    public static RpcException FailedPrecondition(string reason, string subject, string message)
        => Create(Wire.StatusCode.FailedPrecondition, message,
            new PreconditionFailure
            {
                Violations = { new PreconditionFailure.Types.Violation { Type = reason, Subject = subject, Description = message } },
            },
            Reason(reason));

    /// <summary>An exception with the given status and detail messages packed into google.rpc.Status.</summary>
    public static RpcException Create(Wire.StatusCode code, string message, params IMessage[] details)
    {
        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        foreach (var detail in details)
        {
            status.Details.Add(Any.Pack(detail));
        }

        return new RpcException(code, message, status.ToByteArray());
    }

    private static ErrorInfo Reason(string reason) => new() { Reason = reason, Domain = Domain };
}

/// <summary>One rule an input field broke: the field's path in the request, what is wrong, and a stable reason code.</summary>
public sealed record FieldViolation(string Field, string Description, string Reason = "INVALID");
