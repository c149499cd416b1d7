using Microsoft.AspNetCore.Http;

namespace GrpcDvc.Grpc;

/// <summary>What a handler knows about its call besides the request message.</summary>
public sealed class ServerCallContext
{
    internal ServerCallContext(HttpContext httpContext, string method, CancellationToken cancellationToken)
    {
        HttpContext = httpContext;
        Method = method;
        CancellationToken = cancellationToken;
    }

    /// <summary>Full method name, "/package.Service/Method".</summary>
    public string Method { get; }

    /// <summary>Fires when the client cancels or the connection drops.</summary>
    public CancellationToken CancellationToken { get; }

    public string Peer => HttpContext.Connection.RemoteIpAddress is { } ip
        ? $"{ip}:{HttpContext.Connection.RemotePort}"
        : "unknown";

    public IHeaderDictionary RequestHeaders => HttpContext.Request.Headers;

    /// <summary>The underlying HTTP exchange, for services that need the raw request.</summary>
    public HttpContext HttpContext { get; }

    /// <summary>Services resolved for this call's scope.</summary>
    public IServiceProvider Services => HttpContext.RequestServices;
}
