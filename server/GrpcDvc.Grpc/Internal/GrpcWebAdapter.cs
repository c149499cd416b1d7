using GrpcDvc.Grpc.Wire;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace GrpcDvc.Grpc.Internal;

/// <summary>
/// Turns a gRPC-Web exchange into what the gRPC dispatcher and call handlers expect, so they run
/// unchanged: the request is presented as application/grpc (base64-decoded for -text), response
/// trailers are collected instead of sent, and after the handler they go out as the body's last
/// frame (<see cref="GrpcWebResponse"/>). CORS is answered here too.
/// </summary>
internal sealed class GrpcWebAdapter(RequestDelegate next, GrpcServiceRegistry registry, IOptions<GrpcWebOptions> options)
{
    private readonly GrpcWebCors _cors = new(options.Value);

    public async Task InvokeAsync(HttpContext context)
    {
        if (_cors.Apply(context))
        {
            return; // a preflight, answered
        }

        if (!GrpcWebContentType.TryParse(context.Request.ContentType, out var contentType))
        {
            await next(context); // the dispatcher answers 415
            return;
        }

        var response = GrpcWebResponse.Adapt(context, contentType);
        if (registry.Find(context.Request.Path.Value ?? string.Empty)?.Method.IsClientStreaming == true)
        {
            // Browsers cannot stream a request body; a gRPC-Web client offering one is refused before any handler runs.
            StatusWriter.Write(context.Response, new Status(StatusCode.Unimplemented,
                "Client-streaming and bidirectional calls are not available over gRPC-Web; use the gRPC endpoint."), null);
        }
        else
        {
            await next(context);
        }

        await response.CompleteAsync();
    }
}
