using GrpcDvc.Server.Access;
using GrpcDvc.Server.Population.DataAccessLog;
using GrpcDvc.Server.Population.Registry;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GrpcDvc.Server.Population;

/// <summary>The population registry: its reads, the access log they write, and agency scope over its administrative units.</summary>
public static class PopulationRegistration
{
    public static IServiceCollection AddPopulationRegistry(this IServiceCollection services, PopulationOptions options)
    {
        services.AddSingleton(options);
        services.AddScoped<AccessLog>();
        services.AddSingleton<AccessLogWriter>();
        services.AddHostedService(provider => provider.GetRequiredService<AccessLogWriter>());
        services.AddScoped<AccessLogMapping>();
        services.AddSingleton<UnitCache>();
        services.AddScoped<PopulationStore>();
        services.AddScoped<AccessorNames>();
        services.AddSingleton<OfficialNameCache>();
        services.AddScoped<CitizenReads>();
        // CitizenReads names the request in the log line of a failed access-log write.
        services.AddHttpContextAccessor();
        // TryAdd: a test may put a simpler scope in its place.
        services.TryAddSingleton<IAgencyScope, AdministrativeAgencyScope>();
        return services;
    }
}
