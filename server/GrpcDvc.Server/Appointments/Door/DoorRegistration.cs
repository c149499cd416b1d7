using GrpcDvc.Server.Jobs;

namespace GrpcDvc.Server.Appointments.Door;

/// <summary>The station's door: the slip, the day's list, check-in and collection, and the no-show job ("Dvc:Appointments:NoShow").</summary>
public static class DoorRegistration
{
    public static IServiceCollection AddAppointmentDoor(this IServiceCollection services)
    {
        services.AddSingleton<SlipSignature>();
        services.AddScoped<DoorReads>();
        services.AddScoped<DoorReadLog>();
        services.AddScoped<SlipHandler>();
        services.AddScoped<StationListHandler>();
        services.AddScoped<CheckInHandler>();
        services.AddScoped<CollectHandler>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IConfiguration>().GetSection(NoShowOptions.Section).Get<NoShowOptions>() ?? new NoShowOptions();
            options.Validate();
            return options;
        });
        // One firing per interval across the instances. Missed firings: once now, so the sessions of a day the servers
        // were down through are settled (and their citizens told) at the restart.
        services.AddDvcJob<NoShowJob>(NoShowJob.Key, JobMisfirePolicy.FireOnceNow,
            "Marks the no-shows of sessions whose day is over, expires their holds, queues the SMS, and settles the session.",
            sp => JobSchedule.Every(sp.GetRequiredService<NoShowOptions>().Interval));
        return services;
    }
}
