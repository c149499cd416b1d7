using GrpcDvc.Server.Appointments.Booking;
using GrpcDvc.Server.Appointments.Door;
using GrpcDvc.Server.Appointments.Stations;

namespace GrpcDvc.Server.Appointments;

/// <summary>The appointments' services: stations and calendars, booking, the station's door, and their jobs. Each part registers its own below.</summary>
public static class AppointmentRegistration
{
    public static IServiceCollection AddAppointments(this IServiceCollection services)
    {
        services.AddStations();
        services.AddBooking();
        services.AddAppointmentDoor();
        return services;
    }
}
