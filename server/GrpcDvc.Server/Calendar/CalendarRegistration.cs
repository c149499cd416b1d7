namespace GrpcDvc.Server.Calendar;

/// <summary>The calendar's services: the rules from the data file, the store, the options ("Dvc:Calendar", checked at start).</summary>
public static class CalendarRegistration
{
    public static IServiceCollection AddCalendar(this IServiceCollection services, IConfiguration section)
    {
        var options = section.Get<CalendarOptions>() ?? new CalendarOptions();
        options.Validate();
        services.AddSingleton(options);
        services.AddSingleton(_ => new CalendarRules(CalendarData.Load(CalendarData.DefaultPath).Rules));
        services.AddSingleton<CalendarCache>();
        services.AddScoped<CalendarStore>();
        return services;
    }
}
