using GrpcDvc.Grpc;
using GrpcDvc.Server.Identity;

namespace GrpcDvc.Server.Access;

public static class AccessRegistration
{
    /// <summary>
    /// Registers the authorization gate as the first global interceptor, agency scope over the
    /// administrative units and the access-token reader, from the "Dvc:Access" section. Call before
    /// any service is bound, so every service is wrapped.
    /// </summary>
    public static IServiceCollection AddAccessControl(this IServiceCollection services, IConfiguration section)
    {
        var options = section.Get<AccessOptions>() ?? new AccessOptions();
        services.AddSingleton(options);
        services.AddSingleton<MethodRules>();
        services.AddSingleton<AuthorizationInterceptor>();
        services.AddSingleton<IAgencyScope, AdministrativeAgencyScope>();
        services.AddSingleton<IAccessTokenReader, AccessTokenReader>();
        services.AddGrpcInterceptor<AuthorizationInterceptor>();
        return services;
    }
}
