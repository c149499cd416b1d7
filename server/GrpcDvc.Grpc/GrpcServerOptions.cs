namespace GrpcDvc.Grpc;

/// <summary>Options of the gRPC binding; bound from configuration section "Dvc:Grpc".</summary>
public sealed class GrpcServerOptions
{
    /// <summary>Largest request message accepted; larger ones end the call with RESOURCE_EXHAUSTED. Default 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = Wire.GrpcProtocol.DefaultMaxReceiveMessageSize;

    /// <summary>Largest response message sent; null means unlimited (grpc's default).</summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>
    /// When true, an exception thrown by a handler is described in grpc-message. Off by default:
    /// internals must not leak to callers outside development.
    /// </summary>
    public bool EnableDetailedErrors { get; set; }
}
