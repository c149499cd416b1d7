using GrpcDvc.Server.Catalog.Forms;

namespace GrpcDvc.Server.Catalog;

/// <summary>The catalog's services in the container.</summary>
public static class CatalogServices
{
    public static IServiceCollection AddCatalog(this IServiceCollection services)
    {
        services.AddSingleton<CatalogCache>();
        services.AddScoped<CatalogStore>();
        services.AddScoped<IProcedureForms, ProcedureForms>();
        return services;
    }
}
