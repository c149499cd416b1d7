namespace GrpcDvc.Grpc;

/// <summary>Reads the messages a client streams, in order (same shape as Grpc.Core's).</summary>
public interface IAsyncStreamReader<out T>
{
    /// <summary>The message read by the last successful <see cref="MoveNext"/>.</summary>
    T Current { get; }

    /// <summary>Reads the next message; false when the client has finished sending.</summary>
    Task<bool> MoveNext(CancellationToken cancellationToken);
}

/// <summary>Writes messages to the client, one at a time (same shape as Grpc.Core's).</summary>
public interface IServerStreamWriter<in T>
{
    /// <summary>Options for the next writes; null means the call's defaults.</summary>
    WriteOptions? WriteOptions { get; set; }

    Task WriteAsync(T message, CancellationToken cancellationToken = default);
}

/// <summary>Per-message write choices.</summary>
public sealed record WriteOptions(bool NoCompress = false);

public static class AsyncStreamReaderExtensions
{
    /// <summary>The remaining messages as an async sequence.</summary>
    public static async IAsyncEnumerable<T> ReadAllAsync<T>(
        this IAsyncStreamReader<T> reader,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await reader.MoveNext(cancellationToken))
        {
            yield return reader.Current;
        }
    }
}
