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

    /// <summary>
    /// Field violations one error carries at most: a request of 100,000 bad repeated entries would otherwise
    /// get 100,000 violations, in headers no client accepts. The first ones show the caller what to fix.
    /// </summary>
    public const int MaxFieldViolations = 20;

    public static RpcException InvalidArgument(string message, params FieldViolation[] violations)
    {
        var badRequest = new BadRequest();
        foreach (var v in violations.Take(MaxFieldViolations))
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
        var status = new Google.Rpc.Status { Code = (int)code, Message = Bounded(message) };
        foreach (var detail in details)
        {
            BoundStrings(detail);
            status.Details.Add(Any.Pack(detail));
        }

        return status.ToRpcException();
    }

    /// <summary>The longest text an error carries in one place; messages quote the caller's input, which can be megabytes.</summary>
    public const int MaxTextLength = 256;

    // The status travels in response headers (grpc-message, grpc-status-details-bin): a quoted 64 KiB input
    // made them larger than clients accept (HttpClient: 64 KiB, gRPC C core: 8 KiB), and the caller saw a
    // transport failure instead of its INVALID_ARGUMENT.
    private static string Bounded(string text) => text.Length <= MaxTextLength ? text : string.Concat(text.AsSpan(0, MaxTextLength - 1), "…");

    /// <summary>Shortens every string field of a detail message (and of the messages inside it) to <see cref="MaxTextLength"/>.</summary>
    private static void BoundStrings(IMessage message)
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var value = field.Accessor.GetValue(message);
            switch (value)
            {
                case string text when !field.IsRepeated && text.Length > MaxTextLength:
                    field.Accessor.SetValue(message, Bounded(text));
                    break;
                case IMessage inner:
                    BoundStrings(inner);
                    break;
                case System.Collections.IList list when field.FieldType == Google.Protobuf.Reflection.FieldType.Message:
                    foreach (var item in list.OfType<IMessage>())
                    {
                        BoundStrings(item);
                    }

                    break;
            }
        }
    }

    /// <summary>An ErrorInfo with GrpcDvc's domain.</summary>
    public static ErrorInfo Reason(string reason) => new() { Reason = reason, Domain = Domain };
}
