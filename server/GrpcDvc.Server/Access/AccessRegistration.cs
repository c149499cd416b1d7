using GrpcDvc.Grpc;
using GrpcDvc.Server.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GrpcDvc.Server.Access;

public static class AccessRegistration
{
    /// <summary>
    /// Registers the authorization gate as a global interceptor (after any registered before it),
    /// agency scope over the
    /// administrative units, from the "Dvc:Access" section. Call after AddIdentity (the gate reads
    /// tokens through its <see cref="IAccessTokenReader"/>) and before any service is bound.
    /// </summary>
    public static IServiceCollection AddAccessControl(this IServiceCollection services, IConfiguration section)
    {
        var options = section.Get<AccessOptions>() ?? new AccessOptions();
        services.AddSingleton(options);
        services.AddSingleton<MethodRules>();
        services.AddSingleton<AuthorizationInterceptor>();
        services.TryAddSingleton<IAgencyScope, AdministrativeAgencyScope>();
        services.AddGrpcInterceptor<AuthorizationInterceptor>();
        return services;
    }
}
