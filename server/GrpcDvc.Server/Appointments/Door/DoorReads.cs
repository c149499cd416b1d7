using Grpc.Core;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Appointments.Door;

/// <summary>An appointment with the session and station it is in.</summary>
public sealed record AppointmentAt(AppointmentRecord Appointment, StationSessionRecord Session, StationRecord Station);

/// <summary>The reads every door rpc starts with.</summary>
public sealed class DoorReads(DvcDbContext db, IAgencyScope scope)
{
    public async Task<StationRecord> StationAsync(string stationId, ServerCallContext context)
    {
        var station = await db.Set<StationRecord>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == stationId, context.CancellationToken)
                      ?? throw DoorErrors.StationNotFound(stationId);
        // An official works the door of the stations of their unit and the units under it.
        await context.EnsureWithinAgencyAsync(scope, [station.UnitCode]);
        return station;
    }

    /// <summary>The appointment (tracked, so a change can be saved on it), its session and station; null when none.</summary>
    public async Task<AppointmentAt?> AppointmentAsync(Guid id, CancellationToken cancellationToken)
    {
        var appointment = await db.Set<AppointmentRecord>().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        return appointment is null ? null : await PlaceAsync(appointment, cancellationToken);
    }

    public async Task<AppointmentAt> PlaceAsync(AppointmentRecord appointment, CancellationToken cancellationToken)
    {
        var session = await db.Set<StationSessionRecord>().AsNoTracking().FirstAsync(s => s.Id == appointment.SessionId, cancellationToken);
        var station = await db.Set<StationRecord>().AsNoTracking().FirstAsync(s => s.Id == appointment.StationId, cancellationToken);
        return new AppointmentAt(appointment, session, station);
    }

    /// <summary>PERMISSION_DENIED unless the caller works within the unit of the appointment's station.</summary>
    public async Task<AppointmentAt> WithinAgencyAsync(AppointmentAt place, ServerCallContext context)
    {
        await context.EnsureWithinAgencyAsync(scope, [place.Station.UnitCode]);
        return place;
    }

    /// <summary>The change this caller already made with this request id, if any (a retry).</summary>
    public Task<AppointmentChangeRecord?> ChangeAsync(Guid actorId, string requestId, CancellationToken cancellationToken)
        => db.Set<AppointmentChangeRecord>().AsNoTracking().FirstOrDefaultAsync(c => c.ActorId == actorId && c.RequestId == requestId, cancellationToken);
}
