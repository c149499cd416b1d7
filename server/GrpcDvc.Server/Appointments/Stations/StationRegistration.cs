using GrpcDvc.Server.Jobs;

namespace GrpcDvc.Server.Appointments.Stations;

/// <summary>Stations and calendars: the handlers, the gRPC service and the roll-forward job.</summary>
public static class StationRegistration
{
    public static IServiceCollection AddStations(this IServiceCollection services)
    {
        services.AddScoped<SessionMaterializer>();
        services.AddScoped<StationDirectory>();
        services.AddScoped<StationMoveOut>();
        services.AddScoped<StationCalendarChanges>();
        services.AddScoped<StationUtilization>();
        services.AddScoped<StationGrpcService>();
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IConfiguration>().GetSection(RollForwardOptions.Section).Get<RollForwardOptions>() ?? new RollForwardOptions();
            options.Validate();
            return options;
        });
        // Missed firings (the cluster was down): one roll at once catches every day up; replaying each would only repeat it.
        services.AddDvcJob<StationRollForwardJob>(StationRollForwardJob.Key, JobMisfirePolicy.FireOnceNow,
            "Makes the session rows of newly opened days from each station's template and overrides (Dvc:Appointments:RollForward).",
            provider => JobSchedule.Every(provider.GetRequiredService<RollForwardOptions>().Interval));
        return services;
    }
}
