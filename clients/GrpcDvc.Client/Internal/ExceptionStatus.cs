using System.Net.Http;
using Google.Protobuf;
using GrpcDvc.Grpc.Wire;

namespace GrpcDvc.Client.Internal;

/// <summary>The status a call ends with when the transport or decoding fails rather than the server answering.</summary>
internal static class ExceptionStatus
{
    public static Status From(Exception exception)
    {
        if (exception is RpcException rpc)
        {
            return rpc.Status;
        }

        if (exception is InvalidProtocolBufferException)
        {
            return new Status(StatusCode.Internal, $"Failed to parse the response message: {exception.Message}");
        }

        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpProtocolException protocol)
            {
                return FromHttp2ErrorCode(protocol.ErrorCode, protocol.Message);
            }
        }

        return exception switch
        {
            HttpRequestException => new Status(StatusCode.Unavailable, $"Error connecting to the server: {Describe(exception)}"),
            IOException => new Status(StatusCode.Unavailable, $"The connection failed during the call: {Describe(exception)}"),
            OperationCanceledException => new Status(StatusCode.Cancelled, "The call was cancelled."),
            _ => new Status(StatusCode.Internal, $"The call failed on the client: {exception.GetType().Name}: {exception.Message}"),
        };
    }

    /// <summary>RST_STREAM / GOAWAY error codes as grpc/grpc doc/PROTOCOL-HTTP2.md ("Errors") maps them.</summary>
    public static Status FromHttp2ErrorCode(long errorCode, string detail)
    {
        var code = errorCode switch
        {
            0x7 => StatusCode.Unavailable, // REFUSED_STREAM: not processed, safe to retry
            0x8 => StatusCode.Cancelled, // CANCEL
            0xB => StatusCode.ResourceExhausted, // ENHANCE_YOUR_CALM
            0xC => StatusCode.PermissionDenied, // INADEQUATE_SECURITY
            _ => StatusCode.Internal, // NO_ERROR before the trailers, PROTOCOL_ERROR, INTERNAL_ERROR, ...
        };
        return new Status(code, $"HTTP/2 error code 0x{errorCode:X}: {detail}");
    }

    private static string Describe(Exception exception)
        => exception.InnerException is { } inner && inner.Message != exception.Message
            ? $"{exception.Message} ({inner.Message})"
            : exception.Message;
}
