using GrpcDvc.Server.Jobs;

namespace GrpcDvc.Server.Notifications;

/// <summary>The notification outbox and its dispatch job ("Dvc:Notifications:Dispatch").</summary>
public static class NotificationRegistration
{
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IConfiguration>().GetSection(NotificationDispatchOptions.Section).Get<NotificationDispatchOptions>()
                          ?? new NotificationDispatchOptions();
            options.Validate();
            return options;
        });
        // One firing per interval across the instances. Missed firings: once now, so messages written while every
        // instance was down go out at the restart rather than an interval later.
        services.AddDvcJob<NotificationDispatchJob>(NotificationDispatchJob.Key, JobMisfirePolicy.FireOnceNow,
            "Sends the notification outbox through the SMS gateway (retries with backoff, gives up after MaxAttempts).",
            sp => JobSchedule.Every(sp.GetRequiredService<NotificationDispatchOptions>().Interval));
        return services;
    }
}
