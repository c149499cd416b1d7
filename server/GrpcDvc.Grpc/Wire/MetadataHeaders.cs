namespace GrpcDvc.Grpc.Wire;

/// <summary>Which HTTP/2 headers are gRPC machinery rather than custom metadata.</summary>
public static class MetadataHeaders
{
    private static readonly HashSet<string> Transport = new(StringComparer.OrdinalIgnoreCase)
    {
        "content-type", "content-length", "te", "host", "connection", "transfer-encoding", "accept-encoding",
        "grpc-timeout", "grpc-encoding", "grpc-accept-encoding", "grpc-status", "grpc-message", "grpc-status-details-bin",
    };

    /// <summary>True for pseudo-headers and headers the protocol itself uses.</summary>
    public static bool IsReserved(string name) => name.StartsWith(':') || Transport.Contains(name);

    /// <summary>True for names an application may not set: every "grpc-" name is the protocol's.</summary>
    public static bool IsProtected(string name) =>
        name.StartsWith("grpc-", StringComparison.OrdinalIgnoreCase) || name.StartsWith(':') || Transport.Contains(name);
}
