using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace GrpcDvc.Server.Access;

public static class AccessRegistration
{
    /// <summary>
    /// Registers who-is-calling and may-they, from the "Dvc:Access" section: ASP.NET Core authentication with
    /// JwtBearer validating GrpcDvc's access tokens through <see cref="IAccessTokenReader"/>, and the
    /// authorization gate as a global gRPC interceptor (after any registered before it). Agency scope
    /// (<see cref="IAgencyScope"/>) is the population registry's, which knows the administrative units.
    /// </summary>
    public static IServiceCollection AddAccessControl(this IServiceCollection services, IConfiguration section)
    {
        var options = section.Get<AccessOptions>() ?? new AccessOptions();
        services.AddSingleton(options);
        services.AddSingleton<MethodRules>();
        services.AddSingleton<AuthorizationInterceptor>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IAccessTokenReader>((jwt, reader) =>
            {
                // Our tokens are validated by our reader alone (key ring, clock, revoked sessions); no
                // metadata endpoint, no claim renaming.
                jwt.TokenHandlers.Clear();
                jwt.TokenHandlers.Add(new AccessTokenHandler(reader));
                jwt.MapInboundClaims = false;
                jwt.RequireHttpsMetadata = false;
            });
        services.AddGrpcInterceptor<AuthorizationInterceptor>();
        return services;
    }

    /// <summary>Adds an interceptor run around every call, after those added before it (the gate is added last by <see cref="AddAccessControl"/>).</summary>
    public static IServiceCollection AddGrpcInterceptor<TInterceptor>(this IServiceCollection services)
        where TInterceptor : Grpc.Core.Interceptors.Interceptor
    {
        services.Configure<GrpcServiceOptions>(grpc => grpc.Interceptors.Add<TInterceptor>());
        return services;
    }
}
