using GrpcDvc.Server.Dossiers.Processing;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Appointments.Booking;

/// <summary>
/// A dossier withdrawn or refused before its collection gives its appointment's place back: the held
/// or confirmed appointment is cancelled, its place freed, in the dossier change's own transaction
/// (<see cref="IDossierEndings"/>). A citizen already checked in or collected keeps that record.
/// </summary>
public sealed class EndedDossierAppointments(BookingGate gate) : IDossierEndings
{
    public const string Note = "Hồ sơ đã kết thúc (rút hoặc bị từ chối) trước ngày thu nhận: lịch hẹn được hủy.";

    public async Task EndedAsync(DvcDbContext db, Guid dossierId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var row = await db.Set<AppointmentRecord>().AsNoTracking()
            .Where(a => a.DossierId == dossierId && (a.Status == AppointmentStatuses.Held || a.Status == AppointmentStatuses.Confirmed))
            .Select(a => new { a.Id, a.Version, a.SessionId })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return;
        }

        var cancelled = await db.Set<AppointmentRecord>()
            .Where(a => a.Id == row.Id && a.Version == row.Version)
            .ExecuteUpdateAsync(u => u
                .SetProperty(a => a.Status, AppointmentStatuses.Cancelled)
                .SetProperty(a => a.ActiveProcedure, (string?)null)
                .SetProperty(a => a.HoldExpiresAt, (DateTimeOffset?)null)
                .SetProperty(a => a.EndedAt, now)
                .SetProperty(a => a.StationNote, Note)
                .SetProperty(a => a.Version, a => a.Version + 1), cancellationToken);
        if (cancelled == 0)
        {
            // Changed at the same moment (a check-in, a reschedule): the dossier's change fails with it and is retried.
            throw new DbUpdateConcurrencyException($"Appointment {row.Id} changed while its dossier ended.");
        }

        await db.Set<StationSessionRecord>().Where(s => s.Id == row.SessionId && s.Booked > 0)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Booked, s => s.Booked - 1), cancellationToken);
        db.Set<AppointmentChangeRecord>().Add(new AppointmentChangeRecord
        {
            AppointmentId = row.Id, Kind = AppointmentChangeKinds.Cancel, FromSessionId = row.SessionId, At = now,
        });
        gate.Freed(row.SessionId);
    }
}
