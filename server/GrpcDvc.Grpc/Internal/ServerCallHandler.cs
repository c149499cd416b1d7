using System.Diagnostics;
using Google.Protobuf.Reflection;
using GrpcDvc.Grpc.Wire;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GrpcDvc.Grpc.Internal;

/// <summary>
/// What every call kind shares: request checks (encoding, deadline), the context, the
/// interceptor chain's services, the deadline race, the status at the end, one log line and
/// the metrics. One subclass per call kind reads and writes the messages.
/// </summary>
internal abstract class ServerCallHandler
{
    // Constructor factories for services and interceptors not registered in DI, made on first use.
    private readonly ObjectFactory?[] _interceptorFactories;
    private ObjectFactory? _serviceFactory;

    protected ServerCallHandler(MethodDescriptor method, ServiceBinding binding)
    {
        Method = method;
        FullName = $"/{method.Service.FullName}/{method.Name}";
        Binding = binding;
        _interceptorFactories = new ObjectFactory?[binding.InterceptorTypes.Count];
    }

    public MethodDescriptor Method { get; }

    public string FullName { get; }

    protected ServiceBinding Binding { get; }

    protected GrpcServerOptions Options => Binding.Options;

    /// <summary>
    /// Runs one call. The checks before the handler are synchronous; only the handler's part is
    /// an async method, and a call without a deadline runs without a timer or a token source.
    /// </summary>
    public Task HandleCallAsync(HttpContext httpContext)
    {
        var started = Stopwatch.GetTimestamp();
        var headers = httpContext.Request.Headers;
        string? encoding = headers[GrpcProtocol.EncodingHeader];
        if (string.IsNullOrEmpty(encoding))
        {
            encoding = null;
        }
        else if (!Compression.IsSupported(encoding))
        {
            httpContext.Response.Headers[GrpcProtocol.AcceptEncodingHeader] = Compression.AcceptEncoding;
            return EndBeforeHandler(httpContext, new Status(StatusCode.Unimplemented,
                $"Unsupported grpc-encoding value '{encoding}'. Supported encodings: {Compression.AcceptEncoding}"), started);
        }

        var deadline = CallDeadline.FromHeader(headers[GrpcProtocol.TimeoutHeader], Binding.TimeProvider);
        if (deadline.HasExpired)
        {
            // Nobody waits for the answer of a call that arrived with no time left: do not run it.
            return EndBeforeHandler(httpContext, new Status(StatusCode.DeadlineExceeded, "Deadline exceeded before the call started."), started);
        }

        // Only binary metadata can be malformed; parse it now so a bad one fails the call before
        // the handler. Otherwise the metadata is parsed when a handler or interceptor reads it.
        Metadata? metadata = null;
        if (RequestMetadata.HasBinaryHeader(headers))
        {
            try
            {
                metadata = RequestMetadata.From(headers);
            }
            catch (RpcException ex)
            {
                return EndBeforeHandler(httpContext, ex.Status, started);
            }
        }

        httpContext.Response.ContentType = GrpcProtocol.ContentType;
        var state = new CallState(httpContext, Options, encoding, deadline.IsSet);
        var context = new ServerCallContext(httpContext, Method, FullName, state, metadata, deadline.Utc);
        return deadline.IsSet
            ? RunWithDeadlineAsync(context, state, deadline, started)
            : RunAsync(context, state, started);
    }

    protected abstract Task HandleMessagesAsync(ServerCallContext context, CallState state);

    /// <summary>The interceptors for this call, outermost first: global ones, then the service's.</summary>
    protected Interceptor[] ResolveInterceptors(ServerCallContext context)
    {
        var types = Binding.InterceptorTypes;
        if (types.Count == 0)
        {
            return [];
        }

        var services = context.Services;
        var interceptors = new Interceptor[types.Count];
        for (var i = 0; i < types.Count; i++)
        {
            interceptors[i] = (Interceptor)(services.GetService(types[i])
                ?? (_interceptorFactories[i] ??= ActivatorUtilities.CreateFactory(types[i], Type.EmptyTypes))(services, null));
        }

        return interceptors;
    }

    /// <summary>
    /// The service instance for this call: the registered one (scoped, usually), or else one
    /// made by a constructor factory compiled once per rpc instead of found by reflection per call.
    /// </summary>
    protected TService ResolveService<TService>(ServerCallContext context)
        where TService : class
    {
        var services = context.Services;
        return services.GetService(typeof(TService)) as TService
            ?? (TService)(_serviceFactory ??= ActivatorUtilities.CreateFactory(typeof(TService), Type.EmptyTypes))(services, null);
    }

    private Task EndBeforeHandler(HttpContext httpContext, Status status, long started)
    {
        StatusWriter.Write(httpContext.Response, status, null);
        Binding.Telemetry.CallEnded(FullName, status.Code, started, httpContext);
        return Task.CompletedTask;
    }

    private async Task RunAsync(ServerCallContext context, CallState state, long started)
    {
        using (state)
        {
            Status status;
            byte[]? details = null;
            try
            {
                await HandleMessagesAsync(context, state);
                status = context.Status;
            }
#pragma warning disable CA1031 // A handler's failure of any kind must become a status, never a dropped stream.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                (status, details) = StatusOf(ex, context, state);
            }

            if (!await state.CompleteAsync(status, details, context.ResponseTrailersIfAny))
            {
                status = new Status(StatusCode.DeadlineExceeded, "Deadline exceeded.");
            }

            Binding.Telemetry.CallEnded(FullName, status.Code, started, context.HttpContext);
        }
    }

    private async Task RunWithDeadlineAsync(ServerCallContext context, CallState state, CallDeadline deadline, long started)
    {
        using (state)
        {
            var handler = RunHandlerAsync(context, state);
            (Status Status, byte[]? Details) outcome;
            using (var stopTimer = new CancellationTokenSource())
            {
                var deadlinePassed = deadline.WaitAsync(stopTimer.Token);
                var first = await Task.WhenAny(handler, deadlinePassed);
                await stopTimer.CancelAsync();
                if (first != handler)
                {
                    // The deadline passed first: tell the handler, end the call now, and still wait for the
                    // handler before returning so the request it may be touching is not recycled under it.
                    state.Cancel();
                    await state.CompleteAsync(new Status(StatusCode.DeadlineExceeded, "Deadline exceeded."), null, context.ResponseTrailersIfAny);
                    await handler;
                    outcome = (new Status(StatusCode.DeadlineExceeded, "Deadline exceeded."), null);
                }
                else
                {
                    outcome = await handler;
                }
            }

            await EndAsync(context, state, outcome.Status, outcome.Details, started);
        }
    }

    private async Task<(Status Status, byte[]? Details)> RunHandlerAsync(ServerCallContext context, CallState state)
    {
        try
        {
            await HandleMessagesAsync(context, state);
            return (context.Status, null);
        }
#pragma warning disable CA1031 // A handler's failure of any kind must become a status, never a dropped stream.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return StatusOf(ex, context, state);
        }
    }

    private async ValueTask EndAsync(ServerCallContext context, CallState state, Status status, byte[]? details, long started)
    {
        if (!await state.CompleteAsync(status, details, context.ResponseTrailersIfAny))
        {
            status = new Status(StatusCode.DeadlineExceeded, "Deadline exceeded.");
        }

        Binding.Telemetry.CallEnded(FullName, status.Code, started, context.HttpContext);
    }

    /// <summary>The status a handler's exception ends its call with.</summary>
    private (Status Status, byte[]? Details) StatusOf(Exception exception, ServerCallContext context, CallState state)
    {
        switch (exception)
        {
            case RpcException ex:
                return (ex.Status, ex.StatusDetails);
            case OperationCanceledException or IOException when context.HttpContext.RequestAborted.IsCancellationRequested:
                return (new Status(StatusCode.Cancelled, "Call canceled by the client."), null);
            case OperationCanceledException when state.CancellationToken.IsCancellationRequested:
                return (new Status(StatusCode.DeadlineExceeded, "Deadline exceeded."), null);
            default:
                Log.HandlerFailed(Binding.Logger, exception, FullName);
                var detail = Options.EnableDetailedErrors
                    ? $"Exception was thrown by handler. {exception.GetType().Name}: {exception.Message}"
                    : "Exception was thrown by handler.";
                return (new Status(StatusCode.Unknown, detail), null);
        }
    }
}
