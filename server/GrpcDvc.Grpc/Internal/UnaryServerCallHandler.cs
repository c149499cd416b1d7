using Google.Protobuf;
using Google.Protobuf.Reflection;
using GrpcDvc.Grpc.Wire;
using Microsoft.Extensions.Logging;

namespace GrpcDvc.Grpc.Internal;

/// <summary>One request message in, one response message out.</summary>
internal sealed class UnaryServerCallHandler<TService, TRequest, TResponse> : ServerCallHandler
    where TService : class
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly Func<TService, TRequest, ServerCallContext, Task<TResponse>> _invoker;

    public UnaryServerCallHandler(
        MethodDescriptor method,
        Func<TService, TRequest, ServerCallContext, Task<TResponse>> invoker,
        GrpcServerOptions options,
        ILogger logger)
        : base(method, options, logger)
    {
        _invoker = invoker;
    }

    protected override async Task HandleMessagesAsync(ServerCallContext context)
    {
        var reader = context.HttpContext.Request.BodyReader;
        var received = await MessageFraming.ReadMessageAsync(reader, Options.MaxReceiveMessageSize, context.CancellationToken)
            ?? throw new RpcException(StatusCode.Internal, "Request ended without a message: a unary call needs exactly one.");
        var request = (TRequest)ParseRequest(received);

        if (!await MessageFraming.IsAtEndAsync(reader, context.CancellationToken))
        {
            throw new RpcException(StatusCode.Internal, "Additional data after the end of the unary request message.");
        }

        var service = ResolveService<TService>(context);
        var response = await _invoker(service, request, context);
        await WriteResponseAsync(context.HttpContext, response);
    }
}
