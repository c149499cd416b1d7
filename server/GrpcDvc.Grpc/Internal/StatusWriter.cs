using GrpcDvc.Grpc.Wire;
using Microsoft.AspNetCore.Http;

namespace GrpcDvc.Grpc.Internal;

/// <summary>
/// Puts the status where the spec wants it: in trailers after a response was started, or in
/// the headers of a trailers-only response when nothing was sent (the usual error case).
/// </summary>
internal static class StatusWriter
{
    public static void Write(HttpResponse response, Status status, byte[]? details)
    {
        if (!response.HasStarted)
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = GrpcProtocol.ContentType;
            Set(response.Headers, status, details);
            return;
        }

        var trailers = response.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseTrailersFeature>()?.Trailers
            ?? throw new InvalidOperationException("The server does not support response trailers; gRPC needs HTTP/2.");
        Set(trailers, status, details);
    }

    private static void Set(IHeaderDictionary headers, Status status, byte[]? details)
    {
        headers[GrpcProtocol.StatusHeader] = ((int)status.Code).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!string.IsNullOrEmpty(status.Detail))
        {
            headers[GrpcProtocol.MessageHeader] = PercentEncoding.Encode(status.Detail);
        }

        if (details is { Length: > 0 })
        {
            headers[GrpcProtocol.StatusDetailsHeader] = Convert.ToBase64String(details).TrimEnd('=');
        }
    }
}
