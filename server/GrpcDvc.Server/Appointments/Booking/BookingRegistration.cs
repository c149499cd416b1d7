using GrpcDvc.Server.Dossiers.Processing;
using GrpcDvc.Server.Dossiers.Submission;
using GrpcDvc.Server.Jobs;

namespace GrpcDvc.Server.Appointments.Booking;

/// <summary>Booking's services ("Dvc:Appointments:Booking"), SubmitDossier's confirmation of holds, and the hold-expiry job.</summary>
public static class BookingRegistration
{
    public static IServiceCollection AddBooking(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IConfiguration>().GetSection(BookingOptions.Section).Get<BookingOptions>() ?? new BookingOptions();
            options.Validate();
            return options;
        });
        services.AddSingleton<NearbyOffers>();
        services.AddSingleton<BookingGate>();
        services.AddSingleton<SessionHoldLines>();
        services.AddScoped<SessionPlaces>();
        services.AddScoped<AppointmentBooking>();
        services.AddScoped<AppointmentChanges>();
        services.AddScoped<AppointmentQueries>();
        services.AddScoped<ISubmissionAppointments, SubmissionAppointments>();
        // After Dossiers' default (nothing held): the last registration is the one resolved.
        services.AddScoped<IDossierEndings, EndedDossierAppointments>();
        // Missed runs (every instance down): fire once now, so holds that expired meanwhile go back at once.
        services.AddDvcJob<HoldExpiryJob>(HoldExpiryJob.Key, JobMisfirePolicy.FireOnceNow,
            "Expires unconfirmed holds past their time and frees their places.",
            sp => JobSchedule.Every(sp.GetRequiredService<BookingOptions>().ExpiryInterval));
        return services;
    }
}
