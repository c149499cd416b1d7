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
    protected ServerCallHandler(MethodDescriptor method, ServiceBinding binding)
    {
        Method = method;
        FullName = $"/{method.Service.FullName}/{method.Name}";
        Binding = binding;
    }

    public MethodDescriptor Method { get; }

    public string FullName { get; }

    protected ServiceBinding Binding { get; }

    protected GrpcServerOptions Options => Binding.Options;

    public async Task HandleCallAsync(HttpContext httpContext)
    {
        var started = Stopwatch.GetTimestamp();
        var request = httpContext.Request;
        var encoding = request.Headers[GrpcProtocol.EncodingHeader].ToString();
        if (!Compression.IsSupported(string.IsNullOrEmpty(encoding) ? null : encoding))
        {
            httpContext.Response.Headers[GrpcProtocol.AcceptEncodingHeader] = Compression.AcceptEncoding;
            var unsupported = new Status(StatusCode.Unimplemented, $"Unsupported grpc-encoding value '{encoding}'. Supported encodings: {Compression.AcceptEncoding}");
            StatusWriter.Write(httpContext.Response, unsupported, null);
            Binding.Telemetry.CallEnded(FullName, unsupported.Code, started, httpContext);
            return;
        }

        var deadline = CallDeadline.FromHeader(request.Headers[GrpcProtocol.TimeoutHeader], Binding.TimeProvider);
        if (deadline.HasExpired)
        {
            // Nobody waits for the answer of a call that arrived with no time left: do not run it.
            var expired = new Status(StatusCode.DeadlineExceeded, "Deadline exceeded before the call started.");
            StatusWriter.Write(httpContext.Response, expired, null);
            Binding.Telemetry.CallEnded(FullName, expired.Code, started, httpContext);
            return;
        }

        Metadata metadata;
        try
        {
            metadata = RequestMetadata.From(request.Headers);
        }
        catch (RpcException ex)
        {
            StatusWriter.Write(httpContext.Response, ex.Status, null);
            Binding.Telemetry.CallEnded(FullName, ex.StatusCode, started, httpContext);
            return;
        }

        httpContext.Response.ContentType = GrpcProtocol.ContentType;
        using var state = new CallState(httpContext, Options, string.IsNullOrEmpty(encoding) ? null : encoding);
        var context = new ServerCallContext(httpContext, Method, FullName, state, metadata, deadline.Utc);
        var (status, details) = await RunAsync(context, state, deadline);

        if (!await state.CompleteAsync(status, details, context.ResponseTrailers))
        {
            status = new Status(StatusCode.DeadlineExceeded, "Deadline exceeded.");
        }

        Binding.Telemetry.CallEnded(FullName, status.Code, started, httpContext);
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

        var interceptors = new Interceptor[types.Count];
        for (var i = 0; i < types.Count; i++)
        {
            interceptors[i] = (Interceptor)ActivatorUtilities.GetServiceOrCreateInstance(context.Services, types[i]);
        }

        return interceptors;
    }

    protected static TService ResolveService<TService>(ServerCallContext context)
        where TService : class
        => ActivatorUtilities.GetServiceOrCreateInstance<TService>(context.Services);

    // Calls without a deadline (most of them) skip the timer race and its allocations.
    private Task<(Status Status, byte[]? Details)> RunAsync(ServerCallContext context, CallState state, CallDeadline deadline)
        => deadline.IsSet
            ? RunWithDeadlineAsync(RunHandlerAsync(context, state), context, state, deadline)
            : RunHandlerAsync(context, state);

    private static async Task<(Status Status, byte[]? Details)> RunWithDeadlineAsync(
        Task<(Status Status, byte[]? Details)> handler, ServerCallContext context, CallState state, CallDeadline deadline)
    {
        using var stopTimer = new CancellationTokenSource();
        var deadlinePassed = deadline.WaitAsync(stopTimer.Token);
        var first = await Task.WhenAny(handler, deadlinePassed);
        await stopTimer.CancelAsync();
        if (first != handler)
        {
            // The deadline passed first: tell the handler, end the call now, and still wait for the
            // handler before returning so the request it may be touching is not recycled under it.
            state.Cancel();
            await state.CompleteAsync(new Status(StatusCode.DeadlineExceeded, "Deadline exceeded."), null, context.ResponseTrailers);
            await handler;
            return (new Status(StatusCode.DeadlineExceeded, "Deadline exceeded."), null);
        }

        return await handler;
    }

    private async Task<(Status, byte[]?)> RunHandlerAsync(ServerCallContext context, CallState state)
    {
        try
        {
            await HandleMessagesAsync(context, state);
            return (context.Status, null);
        }
        catch (RpcException ex)
        {
            return (ex.Status, ex.StatusDetails);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException && context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            return (new Status(StatusCode.Cancelled, "Call canceled by the client."), null);
        }
        catch (OperationCanceledException) when (state.CancellationToken.IsCancellationRequested)
        {
            return (new Status(StatusCode.DeadlineExceeded, "Deadline exceeded."), null);
        }
#pragma warning disable CA1031 // A handler's failure of any kind must become a status, never a dropped stream.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.HandlerFailed(Binding.Logger, ex, FullName);
            var detail = Options.EnableDetailedErrors
                ? $"Exception was thrown by handler. {ex.GetType().Name}: {ex.Message}"
                : "Exception was thrown by handler.";
            return (new Status(StatusCode.Unknown, detail), null);
        }
    }
}
