using GrpcDvc.Grpc.Wire;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace GrpcDvc.Grpc.Internal;

/// <summary>
/// Puts the status where the spec wants it: in trailers after a response was started, or in
/// the headers of a trailers-only response when nothing was sent (the usual error case).
/// </summary>
internal static class StatusWriter
{
    public static void Write(HttpResponse response, Status status, byte[]? details, Metadata? trailers = null)
    {
        IHeaderDictionary target;
        if (!response.HasStarted)
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = GrpcProtocol.ContentType;
            target = response.Headers;
        }
        else
        {
            target = response.HttpContext.Features.Get<IHttpResponseTrailersFeature>()?.Trailers
                ?? throw new InvalidOperationException("The server does not support response trailers; gRPC needs HTTP/2.");
        }

        target[GrpcProtocol.StatusHeader] = ((int)status.Code).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!string.IsNullOrEmpty(status.Detail))
        {
            target[GrpcProtocol.MessageHeader] = PercentEncoding.Encode(status.Detail);
        }

        if (details is { Length: > 0 })
        {
            target[GrpcProtocol.StatusDetailsHeader] = MetadataBase64.Encode(details);
        }

        foreach (var entry in trailers ?? [])
        {
            // The protocol's own names cannot be overridden by an application's trailers.
            if (!MetadataHeaders.IsProtected(entry.Key))
            {
                target.Append(entry.Key, new StringValues(entry.IsBinary ? MetadataBase64.Encode(entry.ValueBytes!) : entry.Value));
            }
        }
    }
}
