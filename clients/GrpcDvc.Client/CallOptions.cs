using GrpcDvc.Grpc;

namespace GrpcDvc.Client;

/// <summary>Per-call choices. Every property is optional; <c>null</c> options mean all defaults.</summary>
public sealed record CallOptions
{
    /// <summary>Custom metadata sent with the request; values of "-bin" keys are bytes, sent base64.</summary>
    public Metadata? Headers { get; init; }

    /// <summary>
    /// When the call must be over (UTC). The server learns it through grpc-timeout, and the client
    /// itself ends the call with DEADLINE_EXCEEDED when it passes.
    /// </summary>
    public DateTime? Deadline { get; init; }

    /// <summary>A deadline relative to the start of the call; with <see cref="Deadline"/> too, the earlier one wins.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Cancelling it resets the HTTP/2 stream and ends the call with CANCELLED.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>
    /// Compression of the request messages: "gzip", "deflate", or "identity" for none. Null
    /// uses the channel's <see cref="GrpcChannelOptions.CompressionAlgorithm"/>.
    /// </summary>
    public string? CompressionAlgorithm { get; init; }

    /// <summary>Adds metadata to this call, after the channel's <see cref="GrpcChannelOptions.Credentials"/>.</summary>
    public AsyncAuthInterceptor? Credentials { get; init; }
}
