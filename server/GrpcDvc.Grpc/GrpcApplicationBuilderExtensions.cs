using GrpcDvc.Grpc.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Grpc;

public static class GrpcApplicationBuilderExtensions
{
    /// <summary>Registers the binding's services; options come from <paramref name="section"/>.</summary>
    public static IServiceCollection AddGrpcBinding(this IServiceCollection services, IConfiguration section)
    {
        services.Configure<GrpcServerOptions>(section);
        services.AddSingleton<GrpcServiceRegistry>();
        return services;
    }

    /// <summary>Answers every request of this pipeline branch as a gRPC call.</summary>
    public static IApplicationBuilder UseGrpcDispatcher(this IApplicationBuilder app)
        => app.UseMiddleware<GrpcDispatcher>();
}
