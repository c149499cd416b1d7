using GrpcDvc.Client.Internal;
using GrpcDvc.Grpc;
using GrpcDvc.Grpc.Wire;

namespace GrpcDvc.Client;

/// <summary>A server-streaming call: read <see cref="ResponseStream"/> until MoveNext returns false.</summary>
public sealed class AsyncServerStreamingCall<TResponse> : IDisposable
{
    private readonly ICallState _call;

    internal AsyncServerStreamingCall(ICallState call, IAsyncStreamReader<TResponse> responseStream)
    {
        _call = call;
        ResponseStream = responseStream;
    }

    /// <summary>The responses; MoveNext throws <see cref="RpcException"/> when the call ends with a non-OK status.</summary>
    public IAsyncStreamReader<TResponse> ResponseStream { get; }

    public Task<Metadata> ResponseHeadersAsync => _call.GetResponseHeadersAsync();

    public Status GetStatus() => _call.GetStatus();

    public Metadata GetTrailers() => _call.GetTrailers();

    public void Dispose() => _call.Dispose();
}
