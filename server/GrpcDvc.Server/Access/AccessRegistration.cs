using GrpcDvc.Grpc;
using GrpcDvc.Server.Identity;

namespace GrpcDvc.Server.Access;

public static class AccessRegistration
{
    /// <summary>
    /// Registers the authorization gate as the first global interceptor, agency scope over the
    /// administrative units, from the "Dvc:Access" section. Call after AddIdentity (the gate reads
    /// tokens through its <see cref="IAccessTokenReader"/>) and before any service is bound.
    /// </summary>
    public static IServiceCollection AddAccessControl(this IServiceCollection services, IConfiguration section)
    {
        var options = section.Get<AccessOptions>() ?? new AccessOptions();
        services.AddSingleton(options);
        services.AddSingleton<MethodRules>();
        services.AddSingleton<AuthorizationInterceptor>();
        services.AddSingleton<IAgencyScope, AdministrativeAgencyScope>();
        services.AddGrpcInterceptor<AuthorizationInterceptor>();
        return services;
    }
}
