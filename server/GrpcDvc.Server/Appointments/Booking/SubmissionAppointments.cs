using GrpcDvc.Server.Dossiers.Submission;
using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Appointments.Booking;

/// <summary>
/// SubmitDossier's confirmation of a hold (the interface Dossiers declares): the hold must be the
/// caller's, HELD and unexpired, for the dossier's procedure. Confirmed in the dossier's own
/// transaction by one conditional update, so a hold that expired or was cancelled a moment before
/// rolls the dossier back instead of confirming a place already given away.
/// </summary>
public sealed class SubmissionAppointments : ISubmissionAppointments
{
    private readonly DvcDbContext _db;

    public SubmissionAppointments(DvcDbContext db) => _db = db;

    public async Task<AppointmentPlace> PlaceAsync(Guid appointmentId, Guid accountId, string procedureCode, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var found = await (
                from a in _db.Set<AppointmentRecord>().AsNoTracking()
                join s in _db.Set<StationSessionRecord>().AsNoTracking() on a.SessionId equals s.Id
                join st in _db.Set<StationRecord>().AsNoTracking() on s.StationId equals st.Id
                where a.Id == appointmentId && a.AccountId == accountId
                select new { Appointment = a, Session = s, Station = st })
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw RpcErrors.NotFound("appointment", appointmentId.ToString(), "You have no such appointment.");
        Ensure(found.Appointment, procedureCode, now);
        return new AppointmentPlace(found.Station.Id, found.Station.UnitId, found.Session.StartsAt);
    }

    public async Task ConfirmAsync(DvcDbContext db, AppointmentConfirmation confirmation, CancellationToken cancellationToken)
    {
        var (id, account, procedure, now) = (confirmation.AppointmentId, confirmation.AccountId, confirmation.ProcedureCode, confirmation.Now);
        var (dossierId, dossierCode) = (confirmation.DossierId, confirmation.DossierCode);
        var confirmed = await db.Set<AppointmentRecord>()
            .Where(a => a.Id == id && a.AccountId == account && a.ProcedureCode == procedure && a.Status == AppointmentStatuses.Held && a.HoldExpiresAt > now)
            .ExecuteUpdateAsync(u => u
                .SetProperty(a => a.Status, AppointmentStatuses.Confirmed)
                .SetProperty(a => a.DossierId, dossierId)
                .SetProperty(a => a.DossierCode, dossierCode)
                .SetProperty(a => a.HoldExpiresAt, (DateTimeOffset?)null)
                .SetProperty(a => a.ConfirmedAt, now)
                .SetProperty(a => a.Version, a => a.Version + 1), cancellationToken);
        if (confirmed != 1)
        {
            var row = await db.Set<AppointmentRecord>().AsNoTracking().FirstAsync(a => a.Id == id, cancellationToken);
            Ensure(row, procedure, now);
            throw RpcErrors.FailedPrecondition(BookingErrors.NotHeld, $"appointments/{id}", "The hold changed while the dossier was submitted; read it again.");
        }

        var session = await db.Set<AppointmentRecord>().AsNoTracking().Where(a => a.Id == id).Select(a => a.SessionId).FirstAsync(cancellationToken);
        db.Set<AppointmentChangeRecord>().Add(new AppointmentChangeRecord
        {
            AppointmentId = id, ActorId = account, Kind = AppointmentChangeKinds.Confirm, FromSessionId = session, ToSessionId = session, At = now,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Throws the reason a hold cannot be confirmed now, if any.</summary>
    private static void Ensure(AppointmentRecord row, string procedureCode, DateTimeOffset now)
    {
        var subject = $"appointments/{row.Id}";
        if (row.ProcedureCode != procedureCode)
        {
            throw RpcErrors.FailedPrecondition("APPOINTMENT_OTHER_PROCEDURE", subject, $"The appointment is for {row.ProcedureCode}, not {procedureCode}.");
        }

        if (row.Status != AppointmentStatuses.Held)
        {
            var confirmed = row.Status == AppointmentStatuses.Confirmed ? $" by dossier {row.DossierCode}" : "";
            throw RpcErrors.FailedPrecondition(BookingErrors.NotHeld, subject,
                $"The appointment is {AppointmentMessages.Status(row.Status).Name}{confirmed}: only a hold is confirmed by a submission.");
        }

        if (row.HoldExpiresAt is not { } expires || expires <= now)
        {
            throw RpcErrors.FailedPrecondition(BookingErrors.HoldExpired, subject, "The hold has expired and its place went back to the pool; book again.");
        }
    }
}
