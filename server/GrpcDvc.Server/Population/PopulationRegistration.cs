using GrpcDvc.Server.Audit;
using GrpcDvc.Server.Population.Registry;

namespace GrpcDvc.Server.Population;

/// <summary>
/// The registry rpcs, the audit rpcs and what they read through. IAgencyScope is not registered
/// here: the authorization layer provides it.
/// </summary>
public static class PopulationRegistration
{
    public static IServiceCollection AddPopulationRegistry(this IServiceCollection services)
    {
        services.AddScoped<AccessLog>();
        services.AddScoped<SignInLog>();
        services.AddScoped<AuditScope>();
        services.AddScoped<AccessLogMapping>();
        services.AddSingleton<UnitCache>();
        services.AddScoped<PopulationStore>();
        services.AddScoped<AccessorNames>();
        services.AddSingleton<OfficialNameCache>();
        services.AddScoped<CitizenReads>();
        services.AddScoped<PopulationGrpcService>();
        services.AddScoped<AuditGrpcService>();
        return services;
    }
}
