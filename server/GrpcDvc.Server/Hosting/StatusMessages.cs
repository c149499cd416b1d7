using Grpc.Core;
using Grpc.Core.Interceptors;

namespace GrpcDvc.Server.Hosting;

/// <summary>
/// Every error status carries a message (a storage failure's UNAVAILABLE is <see cref="DatabaseFaultInterceptor"/>'s). Our services always write one; the framework's services do
/// not always (grpc.health.v1 Check of an unknown service: NOT_FOUND with an empty message, found by
/// the bad-input campaign), and a client that logs or shows only the message then shows nothing.
/// Outermost interceptor: it sees every status the calls end with.
/// </summary>
internal sealed class StatusMessages : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (RpcException e) when (string.IsNullOrEmpty(e.Status.Detail))
        {
            throw WithMessage(e);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (RpcException e) when (string.IsNullOrEmpty(e.Status.Detail))
        {
            throw WithMessage(e);
        }
    }

    private static RpcException WithMessage(RpcException e)
        => new(new Status(e.StatusCode, e.StatusCode == StatusCode.NotFound ? "Not found." : $"The call ended with {e.StatusCode}."), e.Trailers);
}
