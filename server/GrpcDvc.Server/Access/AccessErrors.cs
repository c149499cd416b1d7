using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using GrpcDvc.Server.Errors;

namespace GrpcDvc.Server.Access;

/// <summary>The statuses the gate and the scope checks end calls with, each carrying an ErrorInfo reason.</summary>
public static class AccessErrors
{
    public static RpcException Unauthenticated(string reason, string message)
        => RpcErrors.Create(StatusCode.Unauthenticated, message, Info(reason));

    public static RpcException PermissionDenied(string reason, string message)
        => RpcErrors.Create(StatusCode.PermissionDenied, message, Info(reason));

    /// <summary>RESOURCE_EXHAUSTED with RetryInfo, so a well-behaved client waits exactly as long as it must.</summary>
    public static RpcException RateLimited(string reason, TimeSpan retryAfter)
    {
        var wait = retryAfter > TimeSpan.Zero ? retryAfter : TimeSpan.FromSeconds(1);
        return RpcErrors.Create(StatusCode.ResourceExhausted, "Too many lookups; try again later.",
            new RetryInfo { RetryDelay = Duration.FromTimeSpan(wait) }, Info(reason));
    }

    public static RpcException PurposeMissing(string field)
        => RpcErrors.InvalidArgument("State the purpose of this read of a citizen's data.",
            new FieldViolation(field, "A purpose is required: it decides which fields are returned and goes to the access log.", AccessReasons.PurposeRequired));

    private static ErrorInfo Info(string reason) => new() { Reason = reason, Domain = RpcErrors.Domain };
}
