using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace GrpcDvc.Grpc.Internal;

/// <summary>
/// CORS for gRPC-Web (PROTOCOL-WEB.md "CORS preflight"): POST only, any request header the
/// preflight asks for (content-type, x-grpc-web, authorization, custom metadata…), credentials
/// for listed origins. Written here rather than with ASP.NET Core's CORS policy because the
/// headers to expose are only known per response: the grpc-* ones plus whatever custom metadata
/// the handler sent, which a browser may read only if it is named in Access-Control-Expose-Headers.
/// Same-origin calls need none of this and are served whatever the list says.
/// </summary>
internal sealed class GrpcWebCors
{
    private const string ProtocolHeaders = "grpc-status, grpc-message, grpc-status-details-bin, grpc-encoding, grpc-accept-encoding";
    private const string PreflightMaxAge = "600"; // seconds a browser may reuse a preflight answer
    private readonly HashSet<string> _origins;
    private readonly bool _anyOrigin;

    public GrpcWebCors(GrpcWebOptions options)
    {
        _origins = new HashSet<string>(options.AllowedOrigins.Select(o => o.Trim().TrimEnd('/')), StringComparer.OrdinalIgnoreCase);
        _anyOrigin = _origins.Remove("*");
    }

    public static bool IsPreflight(HttpRequest request)
        => HttpMethods.IsOptions(request.Method) && request.Headers.ContainsKey(HeaderNames.AccessControlRequestMethod);

    /// <summary>Adds the CORS answer to the response; true when the request was a preflight, now answered.</summary>
    public bool Apply(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var origin = request.Headers.Origin.ToString();
        var allowed = origin.Length > 0 && (_anyOrigin || _origins.Contains(origin));
        if (IsPreflight(request))
        {
            var method = request.Headers.AccessControlRequestMethod.ToString();
            if (!allowed || !HttpMethods.IsPost(method))
            {
                response.StatusCode = StatusCodes.Status403Forbidden;
                return true;
            }

            AllowOrigin(response.Headers, origin);
            response.Headers.AccessControlAllowMethods = "POST, OPTIONS";
            response.Headers.AccessControlAllowHeaders = request.Headers.AccessControlRequestHeaders;
            response.Headers.AccessControlMaxAge = PreflightMaxAge;
            response.StatusCode = StatusCodes.Status204NoContent;
            return true;
        }

        if (allowed)
        {
            AllowOrigin(response.Headers, origin);
            response.OnStarting(static state => ExposeHeaders((HttpResponse)state), response);
        }

        return false;
    }

    private void AllowOrigin(IHeaderDictionary headers, string origin)
    {
        // A listed origin is echoed and may send credentials; the "*" wildcard never carries them.
        var listed = _origins.Contains(origin);
        headers.AccessControlAllowOrigin = listed ? origin : "*";
        if (listed)
        {
            headers.AccessControlAllowCredentials = "true";
            headers.Append(HeaderNames.Vary, HeaderNames.Origin);
        }
    }

    private static Task ExposeHeaders(HttpResponse response)
    {
        // The response's own headers hold any custom metadata (and, for a trailers-only answer, the status).
        var names = response.Headers.Keys
            .Where(name => !name.StartsWith("access-control-", StringComparison.OrdinalIgnoreCase)
                && !name.StartsWith("grpc-", StringComparison.OrdinalIgnoreCase))
            .Select(name => name.ToLowerInvariant())
            .Prepend(ProtocolHeaders);
        response.Headers.AccessControlExposeHeaders = string.Join(", ", names);
        return Task.CompletedTask;
    }
}
