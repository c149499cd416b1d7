using GrpcDvc.Server.Jobs;
using GrpcDvc.Server.Dossiers.Processing.Registry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Quartz;

namespace GrpcDvc.Server.Dossiers.Processing;

/// <summary>The state machine's services and the overdue sweep ("Dvc:Dossiers:OverdueSweep").</summary>
public static class ProcessingRegistration
{
    public static IServiceCollection AddDossierProcessing(this IServiceCollection services)
    {
        services.AddScoped<DossierProcessing>();
        services.AddScoped<DossierChangeRunner>();
        services.AddScoped<DossierDeadline>();
        services.AddSingleton<RegistryEffects>();
        // The forms-as-data validator replaces this when registered first (see ISupplementFormCheck).
        services.TryAddSingleton<ISupplementFormCheck, BoundedFormChanges>();
        // Appointments registers its own after this, and the last registration is the one resolved.
        services.TryAddScoped<IDossierEndings, NothingHeldForDossiers>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IConfiguration>().GetSection(OverdueSweepOptions.Section).Get<OverdueSweepOptions>() ?? new OverdueSweepOptions();
            options.Validate();
            return options;
        });
        // On the persistent store (Jobs/JobStore): one firing per interval across the instances. Missed
        // sweeps: fire once now, so dossiers that fell due while every instance was down are flagged at once.
        services.AddDvcJob<OverdueSweepJob>(OverdueSweepJob.Key, JobMisfirePolicy.FireOnceNow,
            "Flags unfinished dossiers past their due time (one mark_overdue event each).",
            sp => JobSchedule.Every(sp.GetRequiredService<OverdueSweepOptions>().Interval));
        return services;
    }
}
