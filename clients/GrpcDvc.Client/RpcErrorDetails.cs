using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;

namespace GrpcDvc.Client;

/// <summary>
/// Typed access to the google.rpc.Status the server sends with an error (grpc-status-details-bin):
/// field violations, reason codes a portal localises, retry hints. Decoding is Grpc.StatusProto's.
/// </summary>
public static class RpcErrorDetails
{
    /// <summary>The first detail of type <typeparamref name="T"/>, or null when the server sent none.</summary>
    public static T? GetDetail<T>(this RpcException exception)
        where T : class, IMessage<T>, new()
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.GetRpcStatus()?.GetDetail<T>();
    }

    public static BadRequest? GetBadRequest(this RpcException exception) => exception.GetDetail<BadRequest>();

    public static PreconditionFailure? GetPreconditionFailure(this RpcException exception) => exception.GetDetail<PreconditionFailure>();

    public static ResourceInfo? GetResourceInfo(this RpcException exception) => exception.GetDetail<ResourceInfo>();

    public static ErrorInfo? GetErrorInfo(this RpcException exception) => exception.GetDetail<ErrorInfo>();

    public static RetryInfo? GetRetryInfo(this RpcException exception) => exception.GetDetail<RetryInfo>();

    public static QuotaFailure? GetQuotaFailure(this RpcException exception) => exception.GetDetail<QuotaFailure>();
}
