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
        services.AddScoped<DossierReadLog>();
        services.AddScoped<DossierDeadline>();
        services.AddSingleton<RegistryEffects>();
        // The forms-as-data validator replaces this when registered first (see ISupplementFormCheck).
        services.TryAddSingleton<ISupplementFormCheck, BoundedFormChanges>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IConfiguration>().GetSection(OverdueSweepOptions.Section).Get<OverdueSweepOptions>() ?? new OverdueSweepOptions();
            options.Validate();
            return options;
        });
        // In Quartz's in-memory store like the identity jobs (issue 12 moves jobs to the persistent store);
        // the sweep is idempotent across instances, so each instance may run it.
        services.AddQuartz(q => q.ScheduleJob<OverdueSweepJob>(
            (sp, trigger) =>
            {
                var interval = sp.GetRequiredService<OverdueSweepOptions>().Interval;
                trigger.WithIdentity("dossier-overdue-sweep", "dossiers")
                    .StartAt(sp.GetRequiredService<TimeProvider>().GetUtcNow() + interval)
                    .WithSimpleSchedule(interval);
            },
            (_, job) => job.WithIdentity(OverdueSweepJob.Key)));
        return services;
    }
}
