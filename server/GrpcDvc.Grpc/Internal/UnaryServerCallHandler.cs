using Google.Protobuf;
using Google.Protobuf.Reflection;
using GrpcDvc.Grpc.Wire;

namespace GrpcDvc.Grpc.Internal;

/// <summary>One request message in, one response message out.</summary>
internal sealed class UnaryServerCallHandler<TService, TRequest, TResponse>(
    MethodDescriptor method, ServiceBinding binding, Func<TService, TRequest, ServerCallContext, Task<TResponse>> invoker)
    : ServerCallHandler(method, binding)
    where TService : class
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    protected override async Task HandleMessagesAsync(ServerCallContext context, CallState state)
    {
        var request = await state.ReadSingleMessageAsync<TRequest>(Method.InputType.Parser, "Additional data after the end of the unary request message.")
            ?? throw CallState.NoMessage();

        var interceptors = ResolveInterceptors(context);
        if (interceptors.Length == 0)
        {
            // The usual case: no chain to build, so no delegates to allocate per call.
            var direct = await invoker(ResolveService<TService>(context), request, context);
            await state.WriteMessageAsync(direct, context.WriteOptions, state.CancellationToken);
            return;
        }

        UnaryServerMethod<TRequest, TResponse> call = (r, c) => invoker(ResolveService<TService>(c), r, c);
        for (var i = interceptors.Length - 1; i >= 0; i--)
        {
            var (interceptor, next) = (interceptors[i], call);
            call = (r, c) => interceptor.UnaryServerHandler(r, c, next);
        }

        var response = await call(request, context);
        await state.WriteMessageAsync(response, context.WriteOptions, state.CancellationToken);
    }
}

/// <summary>One request message in, a stream of responses out.</summary>
internal sealed class ServerStreamingServerCallHandler<TService, TRequest, TResponse>(
    MethodDescriptor method, ServiceBinding binding, Func<TService, TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> invoker)
    : ServerCallHandler(method, binding)
    where TService : class
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    protected override async Task HandleMessagesAsync(ServerCallContext context, CallState state)
    {
        var request = await state.ReadSingleMessageAsync<TRequest>(Method.InputType.Parser, "Additional data after the end of the request message.")
            ?? throw CallState.NoMessage();

        var writer = new HttpContextStreamWriter<TResponse>(state, context);
        var interceptors = ResolveInterceptors(context);
        if (interceptors.Length == 0)
        {
            await invoker(ResolveService<TService>(context), request, writer, context);
            return;
        }

        ServerStreamingServerMethod<TRequest, TResponse> call = (r, w, c) => invoker(ResolveService<TService>(c), r, w, c);
        for (var i = interceptors.Length - 1; i >= 0; i--)
        {
            var (interceptor, next) = (interceptors[i], call);
            call = (r, w, c) => interceptor.ServerStreamingServerHandler(r, w, c, next);
        }

        await call(request, writer, context);
    }
}

/// <summary>A stream of request messages in, one response out.</summary>
internal sealed class ClientStreamingServerCallHandler<TService, TRequest, TResponse>(
    MethodDescriptor method, ServiceBinding binding, Func<TService, IAsyncStreamReader<TRequest>, ServerCallContext, Task<TResponse>> invoker)
    : ServerCallHandler(method, binding)
    where TService : class
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    protected override async Task HandleMessagesAsync(ServerCallContext context, CallState state)
    {
        ClientStreamingServerMethod<TRequest, TResponse> call = (r, c) => invoker(ResolveService<TService>(c), r, c);
        var interceptors = ResolveInterceptors(context);
        for (var i = interceptors.Length - 1; i >= 0; i--)
        {
            var (interceptor, next) = (interceptors[i], call);
            call = (r, c) => interceptor.ClientStreamingServerHandler(r, c, next);
        }

        var response = await call(new HttpContextStreamReader<TRequest>(state, Method.InputType.Parser), context);
        await state.WriteMessageAsync(response, context.WriteOptions, state.CancellationToken);
    }
}

/// <summary>Streams both ways, interleaved as the handler chooses.</summary>
internal sealed class DuplexStreamingServerCallHandler<TService, TRequest, TResponse>(
    MethodDescriptor method, ServiceBinding binding, Func<TService, IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task> invoker)
    : ServerCallHandler(method, binding)
    where TService : class
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    protected override async Task HandleMessagesAsync(ServerCallContext context, CallState state)
    {
        DuplexStreamingServerMethod<TRequest, TResponse> call = (r, w, c) => invoker(ResolveService<TService>(c), r, w, c);
        var interceptors = ResolveInterceptors(context);
        for (var i = interceptors.Length - 1; i >= 0; i--)
        {
            var (interceptor, next) = (interceptors[i], call);
            call = (r, w, c) => interceptor.DuplexStreamingServerHandler(r, w, c, next);
        }

        await call(new HttpContextStreamReader<TRequest>(state, Method.InputType.Parser), new HttpContextStreamWriter<TResponse>(state, context), context);
    }
}
