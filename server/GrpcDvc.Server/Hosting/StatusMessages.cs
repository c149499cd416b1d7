using Grpc.Core;
using Grpc.Core.Interceptors;

namespace GrpcDvc.Server.Hosting;

/// <summary>
/// Every call ends with a status a client can act on. A storage failure (SQLite's "database is locked"
/// under concurrent sign-ins, found by the bad-input campaign; a lost PostgreSQL connection) is
/// UNAVAILABLE, which clients may retry, not UNKNOWN.
/// Every error status carries a message. Our services always write one; the framework's services do
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
        catch (Exception e) when (IsStorageFailure(e))
        {
            throw Unavailable(e);
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
        catch (Exception e) when (IsStorageFailure(e))
        {
            throw Unavailable(e);
        }
    }

    private static bool IsStorageFailure(Exception e)
        => e is System.Data.Common.DbException || e.InnerException is System.Data.Common.DbException;

    private static RpcException Unavailable(Exception e)
        => new(new Status(StatusCode.Unavailable, "The database is busy or unreachable; try again.", e));

    private static RpcException WithMessage(RpcException e)
        => new(new Status(e.StatusCode, e.StatusCode == StatusCode.NotFound ? "Not found." : $"The call ended with {e.StatusCode}."), e.Trailers);
}
