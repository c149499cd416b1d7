namespace GrpcDvc.Server.Notifications;

/// <summary>The notification outbox and its dispatch job.</summary>
public static class NotificationRegistration
{
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        return services;
    }
}
