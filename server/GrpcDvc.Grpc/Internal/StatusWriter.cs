using System.Globalization;
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
    // The codes as header values, made once instead of formatted per call.
    private static readonly string[] CodeTexts = [.. Enumerable.Range(0, 17).Select(code => code.ToString(CultureInfo.InvariantCulture))];

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

        target[GrpcProtocol.StatusHeader] = StatusText(status.Code);
        if (!string.IsNullOrEmpty(status.Detail))
        {
            target[GrpcProtocol.MessageHeader] = PercentEncoding.Encode(status.Detail);
        }

        if (details is { Length: > 0 })
        {
            target[GrpcProtocol.StatusDetailsHeader] = MetadataBase64.Encode(details);
        }

        // Indexed, not foreach: the interface enumerator would be one more allocation per call.
        for (var i = 0; i < (trailers?.Count ?? 0); i++)
        {
            var entry = trailers![i];
            // The protocol's own names cannot be overridden by an application's trailers.
            if (!MetadataHeaders.IsProtected(entry.Key))
            {
                target.Append(entry.Key, new StringValues(entry.IsBinary ? MetadataBase64.Encode(entry.ValueBytes!) : entry.Value));
            }
        }
    }

    private static string StatusText(StatusCode code)
        => (uint)code < (uint)CodeTexts.Length ? CodeTexts[(int)code] : ((int)code).ToString(CultureInfo.InvariantCulture);
}
