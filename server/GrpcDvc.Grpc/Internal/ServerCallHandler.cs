using Google.Protobuf;
using Google.Protobuf.Reflection;
using GrpcDvc.Grpc.Wire;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GrpcDvc.Grpc.Internal;

/// <summary>
/// What every call kind shares: request validation, response headers, the status in trailers
/// (or trailers-only when nothing was sent), and turning exceptions into statuses.
/// One subclass per call kind reads and writes the messages.
/// </summary>
internal abstract class ServerCallHandler
{
    protected ServerCallHandler(MethodDescriptor method, GrpcServerOptions options, ILogger logger)
    {
        Method = method;
        FullName = $"/{method.Service.FullName}/{method.Name}";
        Options = options;
        Logger = logger;
        RequestParser = method.InputType.Parser;
    }

    public MethodDescriptor Method { get; }

    public string FullName { get; }

    protected GrpcServerOptions Options { get; }

    protected ILogger Logger { get; }

    protected MessageParser RequestParser { get; }

    public async Task HandleCallAsync(HttpContext httpContext)
    {
        var context = new ServerCallContext(httpContext, FullName, httpContext.RequestAborted);
        httpContext.Response.ContentType = GrpcProtocol.ContentType;
        Status status;
        byte[]? details = null;
        try
        {
            await HandleMessagesAsync(context);
            status = Status.Ok;
        }
        catch (RpcException ex)
        {
            status = ex.Status;
            details = ex.StatusDetails;
        }
        catch (OperationCanceledException) when (httpContext.RequestAborted.IsCancellationRequested)
        {
            status = new Status(StatusCode.Cancelled, "Call canceled by the client.");
        }
#pragma warning disable CA1031 // A handler's failure of any kind must become a status, never a dropped stream.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.HandlerFailed(Logger, ex, FullName);
            var detail = Options.EnableDetailedErrors
                ? $"Exception was thrown by handler. {ex.GetType().Name}: {ex.Message}"
                : "Exception was thrown by handler.";
            status = new Status(StatusCode.Unknown, detail);
        }

        StatusWriter.Write(httpContext.Response, status, details);
    }

    protected abstract Task HandleMessagesAsync(ServerCallContext context);

    protected IMessage ParseRequest(ReceivedMessage message)
    {
        if (message.Compressed)
        {
            // No grpc-encoding was negotiated (the binding advertises none yet), so a
            // compressed message cannot be read: the spec's answer is INTERNAL.
            throw new RpcException(StatusCode.Internal,
                "Request sent a compressed message but grpc-encoding was not set or is identity.");
        }

        try
        {
            return RequestParser.ParseFrom(message.Payload);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new RpcException(StatusCode.Internal, $"Error parsing request message: {ex.Message}");
        }
    }

    protected async Task WriteResponseAsync(HttpContext httpContext, IMessage response)
    {
        var size = response.CalculateSize();
        if (Options.MaxSendMessageSize is { } max && size > max)
        {
            throw new RpcException(StatusCode.ResourceExhausted,
                $"Sending message exceeds the maximum configured message size ({size} > {max}).");
        }

        if (!httpContext.Response.HasStarted)
        {
            await httpContext.Response.StartAsync(httpContext.RequestAborted);
        }

        MessageFraming.WriteMessage(httpContext.Response.BodyWriter, response);
        await httpContext.Response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }

    protected static TService ResolveService<TService>(ServerCallContext context)
        where TService : class
        => ActivatorUtilities.GetServiceOrCreateInstance<TService>(context.Services);
}
