using Grpc.Core;
using Grpc.Core.Interceptors;
using GrpcDvc.Server.Errors;

namespace GrpcDvc.Server.Hosting;

/// <summary>
/// Every error status carries a message (a storage failure's UNAVAILABLE is <see cref="DatabaseFaultInterceptor"/>'s). Our services always write one; the framework's services do
/// not always (grpc.health.v1 Check of an unknown service: NOT_FOUND with an empty message, found by
/// the bad-input campaign), and a client that logs or shows only the message then shows nothing.
/// Outermost interceptor: it sees every status the calls end with.
/// </summary>
internal sealed class StatusMessages : Interceptor
{
    // Hands the outcome on without rethrowing it (UnaryOutcomes): refusals are the hot answers of a storm.
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        => UnaryOutcomes.Replacing(request, context, continuation, Replace);

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

    private static readonly Func<Exception, ServerCallContext, Exception?> Replace =
        static (error, _) => error is RpcException e && string.IsNullOrEmpty(e.Status.Detail) ? WithMessage(e) : null;

    private static RpcException WithMessage(RpcException e)
        => new(new Status(e.StatusCode, e.StatusCode == StatusCode.NotFound ? "Not found." : $"The call ended with {e.StatusCode}."), e.Trailers);
}
