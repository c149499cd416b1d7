using System.Runtime.CompilerServices;
using GrpcDvc.Client.Internal;
using GrpcDvc.Grpc;
using GrpcDvc.Grpc.Wire;

namespace GrpcDvc.Client;

/// <summary>A unary call in flight. Await it for the response; a non-OK status is thrown as <see cref="RpcException"/>.</summary>
public sealed class AsyncUnaryCall<TResponse> : IDisposable
{
    private readonly ICallState _call;

    internal AsyncUnaryCall(ICallState call, Task<TResponse> responseAsync)
    {
        _call = call;
        ResponseAsync = responseAsync;
    }

    public Task<TResponse> ResponseAsync { get; }

    /// <summary>The server's response headers (custom metadata only).</summary>
    public Task<Metadata> ResponseHeadersAsync => _call.GetResponseHeadersAsync();

    /// <summary>The final status; only once the call has finished.</summary>
    public Status GetStatus() => _call.GetStatus();

    /// <summary>The server's trailing metadata; only once the call has finished.</summary>
    public Metadata GetTrailers() => _call.GetTrailers();

    public TaskAwaiter<TResponse> GetAwaiter() => ResponseAsync.GetAwaiter();

    /// <summary>Cancels the call if it is still running and releases its resources.</summary>
    public void Dispose() => _call.Dispose();
}
