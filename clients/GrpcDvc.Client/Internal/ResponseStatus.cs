using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using GrpcDvc.Grpc;
using GrpcDvc.Grpc.Wire;

namespace GrpcDvc.Client.Internal;

/// <summary>Reads a call's status from trailers (or a trailers-only response's headers), or synthesizes one.</summary>
internal static class ResponseStatus
{
    public static bool TryRead(HttpHeaders headers, out Status status, out byte[]? details)
    {
        status = default;
        details = null;
        if (!headers.NonValidated.TryGetValues(GrpcProtocol.StatusHeader, out var codes))
        {
            return false;
        }

        var code = int.TryParse(codes.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) &&
            Enum.IsDefined((StatusCode)parsed)
            ? (StatusCode)parsed
            : StatusCode.Unknown;
        var message = headers.NonValidated.TryGetValues(GrpcProtocol.MessageHeader, out var messages)
            ? PercentEncoding.Decode(messages.ToString())
            : string.Empty;
        if (headers.NonValidated.TryGetValues(GrpcProtocol.StatusDetailsHeader, out var encoded))
        {
            try
            {
                details = MetadataBase64.Decode(encoded.ToString());
            }
            catch (FormatException)
            {
                // Undecodable details are dropped; the code and message still stand.
            }
        }

        status = new Status(code, message);
        return true;
    }

    /// <summary>The status for a non-200 HTTP response, per grpc/grpc doc/http-grpc-status-mapping.md.</summary>
    public static Status FromHttpStatus(HttpStatusCode httpStatus)
    {
        var code = (int)httpStatus switch
        {
            400 => StatusCode.Internal,
            401 => StatusCode.Unauthenticated,
            403 => StatusCode.PermissionDenied,
            404 => StatusCode.Unimplemented,
            429 or 502 or 503 or 504 => StatusCode.Unavailable,
            _ => StatusCode.Unknown,
        };
        return new Status(code, $"Bad gRPC response: HTTP status {(int)httpStatus} {httpStatus}.");
    }

    /// <summary>Custom metadata of a header block: protocol headers dropped, "-bin" values base64-decoded.</summary>
    public static Metadata Metadata(HttpHeaders headers)
    {
        var metadata = new Metadata();
        foreach (var (name, values) in headers.NonValidated)
        {
            var key = name.ToLowerInvariant();
            if (MetadataHeaders.IsProtected(key))
            {
                continue;
            }

            foreach (var value in values)
            {
                try
                {
                    if (Grpc.Metadata.Entry.IsBinaryKey(key))
                    {
                        // Repeated binary values may arrive joined by commas (base64 never contains one).
                        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                        {
                            metadata.Add(key, MetadataBase64.Decode(part));
                        }
                    }
                    else
                    {
                        metadata.Add(key, value);
                    }
                }
                catch (Exception ex) when (ex is ArgumentException or FormatException)
                {
                    // Not valid gRPC metadata (e.g. an HTTP header with a name gRPC does not allow): not the application's.
                }
            }
        }

        return metadata;
    }
}
