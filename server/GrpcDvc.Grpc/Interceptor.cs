namespace GrpcDvc.Grpc;

public delegate Task<TResponse> UnaryServerMethod<in TRequest, TResponse>(TRequest request, ServerCallContext context);

public delegate Task<TResponse> ClientStreamingServerMethod<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context);

public delegate Task ServerStreamingServerMethod<in TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context);

public delegate Task DuplexStreamingServerMethod<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context);

/// <summary>
/// Wraps calls of one kind or all kinds (same shape as Grpc.Core's Interceptor). Interceptors run
/// in order: global ones first, in registration order, then the service's own; each calls
/// <c>continuation</c> to go on, or throws <see cref="Wire.RpcException"/> to end the call.
/// Override only <see cref="InterceptAsync"/> for logic that does not need the messages.
/// </summary>
public abstract class Interceptor
{
    /// <summary>Runs around every call kind; the default just continues.</summary>
    protected virtual Task InterceptAsync(ServerCallContext context, Func<Task> continuation) => continuation();

    public virtual async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        where TRequest : class
        where TResponse : class
    {
        TResponse? response = null;
        await InterceptAsync(context, async () => response = await continuation(request, context));
        return response!;
    }

    public virtual async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
        where TRequest : class
        where TResponse : class
    {
        TResponse? response = null;
        await InterceptAsync(context, async () => response = await continuation(requestStream, context));
        return response!;
    }

    public virtual Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
        where TRequest : class
        where TResponse : class
        => InterceptAsync(context, () => continuation(request, responseStream, context));

    public virtual Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
        where TRequest : class
        where TResponse : class
        => InterceptAsync(context, () => continuation(requestStream, responseStream, context));
}
