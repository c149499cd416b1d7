using GrpcDvc.Grpc.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Grpc;

public static class GrpcWebExtensions
{
    /// <summary>Registers gRPC-Web's options (allowed origins) from <paramref name="section"/>.</summary>
    public static IServiceCollection AddGrpcWeb(this IServiceCollection services, IConfiguration section)
    {
        services.Configure<GrpcWebOptions>(section);
        return services;
    }

    /// <summary>
    /// Answers gRPC-Web calls (application/grpc-web and -text) and their CORS preflights with the
    /// registered gRPC services, through the same dispatcher and handlers as native gRPC. Every
    /// other request continues down the pipeline.
    /// </summary>
    public static IApplicationBuilder UseGrpcWeb(this IApplicationBuilder app)
    {
        var registry = app.ApplicationServices.GetRequiredService<GrpcServiceRegistry>();
        return app.MapWhen(
            context => IsGrpcWebRequest(context, registry),
            web => web.UseMiddleware<GrpcWebAdapter>().UseGrpcDispatcher());
    }

    private static bool IsGrpcWebRequest(HttpContext context, GrpcServiceRegistry registry)
    {
        var request = context.Request;
        if (GrpcWebContentType.TryParse(request.ContentType, out _))
        {
            return true;
        }

        // A preflight carries no content type; it is ours when it asks about a method we serve.
        return GrpcWebCors.IsPreflight(request)
            && GrpcDispatcher.ServiceNameOf(request.Path.Value ?? string.Empty) is { } service
            && registry.IsServiceKnown(service);
    }
}
