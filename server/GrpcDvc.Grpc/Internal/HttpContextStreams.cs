using Google.Protobuf;

namespace GrpcDvc.Grpc.Internal;

/// <summary>Reads request messages of a client- or duplex-streaming call.</summary>
internal sealed class HttpContextStreamReader<T>(CallState state, MessageParser parser) : IAsyncStreamReader<T>
    where T : class
{
    private T? _current;

    public T Current => _current ?? throw new InvalidOperationException("MoveNext has not returned true yet.");

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        // Most readers pass no token or the call's own: then no linked token source per message.
        if (!cancellationToken.CanBeCanceled || cancellationToken == state.CancellationToken)
        {
            _current = await state.TryReadMessageAsync<T>(parser, state.CancellationToken);
        }
        else
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, state.CancellationToken);
            _current = await state.TryReadMessageAsync<T>(parser, linked.Token);
        }

        return _current is not null;
    }
}

/// <summary>Writes response messages of a server- or duplex-streaming call.</summary>
internal sealed class HttpContextStreamWriter<T>(CallState state, ServerCallContext context) : IServerStreamWriter<T>
    where T : class, IMessage
{
    public WriteOptions? WriteOptions { get; set; }

    public Task WriteAsync(T message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return state.WriteMessageAsync(message, WriteOptions ?? context.WriteOptions,
            cancellationToken.CanBeCanceled ? cancellationToken : state.CancellationToken);
    }
}
