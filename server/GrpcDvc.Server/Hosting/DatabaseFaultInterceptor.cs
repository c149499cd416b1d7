using System.Data.Common;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Storage;

namespace GrpcDvc.Server.Hosting;

/// <summary>
/// A call that fails because the database is out of reach (stopped, restarting, the network gone, a
/// connection or command timeout) ends with UNAVAILABLE, reason <see cref="Reason"/> and a RetryInfo,
/// instead of the UNKNOWN grpc-dotnet gives any exception a handler lets through: UNAVAILABLE is the
/// status clients and proxies know to retry. "Out of reach" is <see cref="DatabaseOutage"/>'s judgement;
/// any other failure stays what it was: a bug should not pass for an outage.
/// </summary>
public sealed partial class DatabaseFaultInterceptor(ILogger<DatabaseFaultInterceptor> logger) : Interceptor
{
    public const string Reason = "DATABASE_UNAVAILABLE";

    /// <summary>How soon a client may try again: about the health checks' pace, and a restarting PostgreSQL's.</summary>
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

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
        catch (Exception e) when (Transient(e) is { } fault)
        {
            throw Unavailable(context, fault);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception e) when (Transient(e) is { } fault)
        {
            throw Unavailable(context, fault);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (Exception e) when (Transient(e) is { } fault)
        {
            throw Unavailable(context, fault);
        }
    }

    // grpc-dotnet activates this interceptor per call: nothing here outlives the call, so nothing is cached.
    private Exception? Replace(Exception error, ServerCallContext call) => Transient(error) is { } fault ? Unavailable(call, fault) : null;

    private static DbException? Transient(Exception e) => DatabaseOutage.CauseOf(e);

    private RpcException Unavailable(ServerCallContext context, DbException fault)
    {
        // The caller learns only that the database is unavailable; the operator gets the provider's reason,
        // which names hosts and error codes, never row values.
        Log.DatabaseUnavailable(logger, context.GetHttpContext().TraceIdentifier, context.Method, fault.GetType().Name, fault.SqlState ?? "", fault.Message);
        return RpcErrors.Create(StatusCode.Unavailable, "The database is unavailable; try again shortly.",
            RpcErrors.Reason(Reason),
            new RetryInfo { RetryDelay = Duration.FromTimeSpan(RetryAfter) });
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 150, Level = LogLevel.Warning,
            Message = "Request {RequestId} ({Rpc}): the database is unavailable ({ErrorType}, SQLSTATE {SqlState}: {Error}); answered UNAVAILABLE.")]
        public static partial void DatabaseUnavailable(ILogger logger, string requestId, string rpc, string errorType, string sqlState, string error);
    }
}
