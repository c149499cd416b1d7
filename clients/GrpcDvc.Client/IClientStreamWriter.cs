using GrpcDvc.Grpc;

namespace GrpcDvc.Client;

/// <summary>Sends the request messages of a client- or duplex-streaming call (same shape as Grpc.Core's).</summary>
public interface IClientStreamWriter<in T>
{
    /// <summary>Options for the next writes (e.g. skip compression of one message); null for the call's defaults.</summary>
    WriteOptions? WriteOptions { get; set; }

    /// <summary>Sends one message. One write at a time: await each before the next.</summary>
    Task WriteAsync(T message, CancellationToken cancellationToken = default);

    /// <summary>Half-closes: tells the server no more messages will come.</summary>
    Task CompleteAsync();
}
