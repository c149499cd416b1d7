using GrpcDvc.Grpc.Wire;
using Microsoft.AspNetCore.Http;

namespace GrpcDvc.Grpc.Internal;

/// <summary>
/// Terminal middleware of the gRPC endpoint: checks that the request is a gRPC call, finds
/// its handler by path, and answers UNIMPLEMENTED for anything not bound.
/// </summary>
internal sealed class GrpcDispatcher
{
    private readonly GrpcServiceRegistry _registry;

    public GrpcDispatcher(RequestDelegate next, GrpcServiceRegistry registry)
    {
        _ = next; // terminal: every request on the gRPC endpoint is answered here.
        _registry = registry;
    }

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = "POST";
            return Task.CompletedTask;
        }

        if (!GrpcProtocol.IsGrpcContentType(request.ContentType))
        {
            // The spec's answer to a non-gRPC content type is HTTP 415; grpc-status helps gRPC-aware proxies.
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            context.Response.Headers[GrpcProtocol.StatusHeader] = ((int)StatusCode.Internal).ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Response.Headers[GrpcProtocol.MessageHeader] =
                PercentEncoding.Encode($"Content-Type '{request.ContentType}' is not supported.");
            return Task.CompletedTask;
        }

        var path = request.Path.Value ?? string.Empty;
        var handler = _registry.Find(path);
        if (handler is not null)
        {
            return handler.HandleCallAsync(context);
        }

        var service = ServiceNameOf(path);
        var detail = service is not null && _registry.IsServiceKnown(service)
            ? $"Method is unimplemented: {path}"
            : $"Service is unimplemented: {service ?? path}";
        StatusWriter.Write(context.Response, new Status(StatusCode.Unimplemented, detail), null);
        return Task.CompletedTask;
    }

    internal static string? ServiceNameOf(string path)
    {
        var slash = path.IndexOf('/', 1);
        return path.StartsWith('/') && slash > 1 ? path[1..slash] : null;
    }
}
