using Google.Protobuf;
using Google.Rpc;
using GrpcDvc.Grpc.Wire;

namespace GrpcDvc.Client;

/// <summary>
/// Typed access to the google.rpc.Status a server sends in grpc-status-details-bin: the
/// machine-readable reasons behind an error (field violations, the missing resource, …).
/// </summary>
public static class RpcExceptionExtensions
{
    /// <summary>The rich status, or null when the server sent none (or it does not decode).</summary>
    public static Google.Rpc.Status? GetRichStatus(this RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.StatusDetails is not { Length: > 0 } details)
        {
            return null;
        }

        try
        {
            return Google.Rpc.Status.Parser.ParseFrom(details);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    /// <summary>The first detail of type <typeparamref name="T"/>, or null.</summary>
    public static T? GetDetail<T>(this RpcException exception)
        where T : class, IMessage<T>, new()
    {
        foreach (var any in exception.GetRichStatus()?.Details ?? [])
        {
            if (any.TryUnpack<T>(out var detail))
            {
                return detail;
            }
        }

        return null;
    }

    public static BadRequest? GetBadRequest(this RpcException exception) => exception.GetDetail<BadRequest>();

    public static PreconditionFailure? GetPreconditionFailure(this RpcException exception) => exception.GetDetail<PreconditionFailure>();

    public static ResourceInfo? GetResourceInfo(this RpcException exception) => exception.GetDetail<ResourceInfo>();

    public static ErrorInfo? GetErrorInfo(this RpcException exception) => exception.GetDetail<ErrorInfo>();

    public static RetryInfo? GetRetryInfo(this RpcException exception) => exception.GetDetail<RetryInfo>();

    public static QuotaFailure? GetQuotaFailure(this RpcException exception) => exception.GetDetail<QuotaFailure>();
}
