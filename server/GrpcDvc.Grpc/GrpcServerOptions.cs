namespace GrpcDvc.Grpc;

/// <summary>Options of the gRPC binding; bound from configuration section "Dvc:Grpc".</summary>
public sealed class GrpcServerOptions
{
    /// <summary>Largest request message accepted (after decompression); larger ones end the call with RESOURCE_EXHAUSTED. Default 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = Wire.GrpcProtocol.DefaultMaxReceiveMessageSize;

    /// <summary>Largest response message sent; null means unlimited (grpc's default).</summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>
    /// When true, an exception thrown by a handler is described in grpc-message. Off by default:
    /// internals must not leak to callers outside development.
    /// </summary>
    public bool EnableDetailedErrors { get; set; }

    /// <summary>
    /// Compress responses with "gzip" or "deflate" when the client accepts it; null (default) sends
    /// them uncompressed. A handler may choose per call (ServerCallContext.ResponseCompressionAlgorithm)
    /// and per message (WriteOptions.NoCompress).
    /// </summary>
    public string? ResponseCompressionAlgorithm { get; set; }

    /// <summary>Interceptors run around every call, outermost first (before any service's own).</summary>
    public IList<Type> Interceptors { get; } = [];
}
