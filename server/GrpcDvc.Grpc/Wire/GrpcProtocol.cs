namespace GrpcDvc.Grpc.Wire;

/// <summary>Names and constants of grpc/grpc doc/PROTOCOL-HTTP2.md.</summary>
public static class GrpcProtocol
{
    public const string ContentType = "application/grpc";
    public const string StatusHeader = "grpc-status";
    public const string MessageHeader = "grpc-message";
    public const string StatusDetailsHeader = "grpc-status-details-bin";
    public const string TimeoutHeader = "grpc-timeout";
    public const string EncodingHeader = "grpc-encoding";
    public const string AcceptEncodingHeader = "grpc-accept-encoding";
    public const string MessageTypeHeader = "grpc-message-type";
    public const string TeHeader = "te";

    /// <summary>1 byte compressed flag + 4 bytes big-endian length.</summary>
    public const int HeaderSize = 5;

    /// <summary>Default limit on a received message (grpc's own default).</summary>
    public const int DefaultMaxReceiveMessageSize = 4 * 1024 * 1024;

    /// <summary>
    /// True for "application/grpc" and its "+proto"/"+json"/";params" variants, which the
    /// spec says servers must accept (matching is case-insensitive).
    /// </summary>
    public static bool IsGrpcContentType(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType) ||
            !contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (contentType.Length == ContentType.Length)
        {
            return true;
        }

        var next = contentType[ContentType.Length];
        return next is '+' or ';';
    }
}
