using GrpcDvc.Grpc.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GrpcDvc.Grpc;

public static class GrpcApplicationBuilderExtensions
{
    /// <summary>Registers the binding's services; options come from <paramref name="section"/>.</summary>
    public static IServiceCollection AddGrpcBinding(this IServiceCollection services, IConfiguration section)
    {
        services.Configure<GrpcServerOptions>(section);
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<CallTelemetry>();
        services.AddSingleton<GrpcServiceRegistry>();
        return services;
    }

    /// <summary>Adds an interceptor run around every call, after those added before it.</summary>
    public static IServiceCollection AddGrpcInterceptor<TInterceptor>(this IServiceCollection services)
        where TInterceptor : Interceptor
    {
        services.Configure<GrpcServerOptions>(o => o.Interceptors.Add(typeof(TInterceptor)));
        return services;
    }

    /// <summary>Answers every request of this pipeline branch as a gRPC call.</summary>
    public static IApplicationBuilder UseGrpcDispatcher(this IApplicationBuilder app)
        => app.UseMiddleware<GrpcDispatcher>();
}
