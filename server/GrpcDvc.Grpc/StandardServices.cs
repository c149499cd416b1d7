using Grpc.Health.V1;
using GrpcDvc.Grpc.Health;
using GrpcDvc.Grpc.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Grpc;

/// <summary>Health and reflection: the services every gRPC server is expected to offer.</summary>
public static class StandardServices
{
    public static IServiceCollection AddGrpcHealthAndReflection(this IServiceCollection services, IConfiguration healthSection)
    {
        services.Configure<HealthOptions>(healthSection);
        services.AddHealthChecks();
        services.AddSingleton<HealthMonitor>();
        services.AddSingleton<HealthService>();
        services.AddSingleton<ReflectionService>();
        services.AddSingleton<ReflectionAlphaService>();
        return services;
    }

    /// <summary>Binds grpc.health.v1.Health and grpc.reflection v1 and v1alpha.</summary>
    public static void AddHealthAndReflection(this GrpcServiceRegistry registry)
    {
        registry.Add<HealthService>(HealthReflection.Descriptor, "grpc.health.v1.Health");
        registry.Add<ReflectionService>(global::Grpc.Reflection.V1.ReflectionReflection.Descriptor, "grpc.reflection.v1.ServerReflection");
        registry.Add<ReflectionAlphaService>(global::Grpc.Reflection.V1Alpha.ReflectionReflection.Descriptor, "grpc.reflection.v1alpha.ServerReflection");
    }
}
