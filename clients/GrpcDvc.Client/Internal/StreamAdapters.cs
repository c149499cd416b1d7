using Google.Protobuf;
using GrpcDvc.Grpc;

namespace GrpcDvc.Client.Internal;

/// <summary>The response messages of a streaming call.</summary>
internal sealed class ResponseStreamReader<TRequest, TResponse>(GrpcCall<TRequest, TResponse> call) : IAsyncStreamReader<TResponse>
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private TResponse? _current;

    public TResponse Current => _current ?? throw new InvalidOperationException("MoveNext has not returned true.");

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        _current = await call.ReadMessageAsync(cancellationToken);
        return _current is not null;
    }
}

/// <summary>The request messages of a client- or duplex-streaming call.</summary>
internal sealed class RequestStreamWriter<TRequest, TResponse>(GrpcCall<TRequest, TResponse> call) : IClientStreamWriter<TRequest>
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    public WriteOptions? WriteOptions { get; set; }

    public Task WriteAsync(TRequest message, CancellationToken cancellationToken = default)
        => call.WriteAsync(message, WriteOptions, cancellationToken);

    public Task CompleteAsync() => call.CompleteRequestAsync();
}
