using GrpcDvc.Server.Dossiers.Attachments;
using GrpcDvc.Server.Dossiers.Processing;
using GrpcDvc.Server.Dossiers.Submission;
using GrpcDvc.Server.Dossiers.Tracking;

namespace GrpcDvc.Server.Dossiers;

/// <summary>The dossiers' services. Each part registers its own below (one line each, in its own method).</summary>
public static class DossierRegistration
{
    public static IServiceCollection AddDossiers(this IServiceCollection services)
    {
        services.AddAttachments();
        services.AddScoped<DossierSubmission>();
        services.AddScoped<DossierForms>();
        services.AddScoped<ISubmissionTerms, CatalogFormTerms>();
        // Before AddDossierProcessing, which only adds its bounds-only check when none is registered.
        services.AddScoped<ISupplementFormCheck, CatalogSupplementFormCheck>();
        services.AddScoped<RegistryCheck>();
        services.AddSingleton<CompetentUnits.UnitCache>();
        services.AddScoped<CompetentUnits>();
        services.AddDossierProcessing();
        services.AddScoped<DossierQueries>();
        services.AddScoped<DossierReads>();
        services.AddScoped<DossierReadLog>();
        services.AddScoped<DossierListing>();
        services.AddOptions<DossierTrackingOptions>().BindConfiguration(DossierTrackingOptions.Section)
            .Validate(o => { o.Validate(); return true; }).ValidateOnStart();
        services.AddSingleton<DossierChangeFeed>();
        services.AddSingleton<IDossierChanges>(sp => sp.GetRequiredService<DossierChangeFeed>());
        return services;
    }
}
