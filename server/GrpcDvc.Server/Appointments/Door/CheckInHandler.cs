using Grpc.Core;
using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Calendar;
using GrpcDvc.Server.Dossiers.Processing;
using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Appointments.Door;

/// <summary>
/// CheckIn: the citizen is at the station. Found by the slip's QR payload (its signature checked) or by the dossier
/// code; checked in only at the appointment's own station, on its day (Vietnam date), from confirmed. Every broken
/// condition is one violation of a FAILED_PRECONDITION. The status moves by the appointment's version (a concurrency
/// token), in one transaction with an appointment_changes row whose (officer, request id) is unique: a retry, or a
/// second call racing the first with the same id, answers with the appointment as it is and writes nothing.
/// </summary>
public sealed partial class CheckInHandler(DvcDbContext db, DoorReads reads, SlipSignature signature, DoorReadLog readLog, TimeProvider time, ILogger<CheckInHandler> logger)
{
    public async Task<CheckInResponse> CheckInAsync(CheckInRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        var requestId = DoorInput.RequestId(request.RequestId, violations);
        var stationId = DoorInput.StationId(request.StationId, violations);
        Guid? signedId = null;
        switch (request.ByCase)
        {
            case CheckInRequest.ByOneofCase.QrPayload:
                signedId = signature.Verify(request.QrPayload);
                if (signedId is null)
                {
                    violations.Add(new FieldViolation("qr_payload", "Not a slip this service signed, or altered: ask for the dossier code.", DoorReasons.QrInvalid));
                }

                break;
            case CheckInRequest.ByOneofCase.DossierCode when !ProcessingInput.IsDossierCode(request.DossierCode):
                violations.Add(new FieldViolation("dossier_code", "Not a dossier code (unit code-YYMMDD-NNNN, four digits or more).", "CODE_INVALID"));
                break;
            case CheckInRequest.ByOneofCase.None:
                violations.Add(new FieldViolation("by", "Required: the dossier code or the slip's QR payload.", "REQUIRED"));
                break;
        }

        DoorInput.ThrowIfAny(violations, "CheckIn");
        var cancellationToken = context.CancellationToken;
        var caller = context.GetCaller();
        var station = await reads.StationAsync(stationId, context);
        if (await RetryAnswerAsync(caller, requestId, context, cancellationToken) is { } first)
        {
            return new CheckInResponse { Appointment = first };
        }

        var appointment = signedId is { } id
            ? await db.Set<AppointmentRecord>().FirstOrDefaultAsync(a => a.Id == id, cancellationToken)
            : await ByDossierCodeAsync(request.DossierCode, cancellationToken);
        if (appointment is null)
        {
            throw DoorErrors.AppointmentNotFound(signedId is { } missing ? missing.ToString("D") : $"for dossier {request.DossierCode}");
        }

        // Before any refusal names the appointment's station or day: dossier codes can be guessed, and an
        // officer of another unit must learn nothing of where and when a citizen is due.
        var place = await reads.WithinAgencyAsync(await reads.PlaceAsync(appointment, cancellationToken), context);
        var now = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        var refusals = Refusals(place, station, VietnamTime.DateOf(now));
        if (refusals.Count > 0)
        {
            throw DoorErrors.Refused(appointment.Id.ToString("D"), refusals);
        }

        var seenVersion = appointment.Version;
        appointment.Status = AppointmentStatuses.CheckedIn;
        appointment.CheckedInAt = now;
        appointment.Version++;
        db.Set<AppointmentChangeRecord>().Add(new AppointmentChangeRecord
        {
            AppointmentId = appointment.Id, ActorId = caller.AccountId, RequestId = requestId, Kind = AppointmentChangeKinds.CheckIn, At = now,
        });
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException lost)
        {
            // The same request committed first (its id is taken): its answer. Another officer's check-in (the version
            // moved): refused with the status it has now.
            db.ChangeTracker.Clear();
            if (await RetryAnswerAsync(caller, requestId, context, cancellationToken) is { } winner)
            {
                return new CheckInResponse { Appointment = winner };
            }

            var current = await reads.AppointmentAsync(appointment.Id, cancellationToken);
            if (current is null || (current.Appointment.Version == seenVersion && lost is not DbUpdateConcurrencyException))
            {
                // Not a race: a write failed for its own reason.
                throw;
            }

            LogRace(appointment.Id, current.Appointment.Status);
            var reasons = Refusals(current, station, VietnamTime.DateOf(now));
            throw DoorErrors.Refused(appointment.Id.ToString("D"),
                reasons.Count > 0 ? reasons : [(DoorReasons.NotConfirmed, "The appointment changed meanwhile; read it again.")]);
        }

        await readLog.WriteAsync(caller, [appointment], context.Method, cancellationToken);
        return new CheckInResponse { Appointment = AppointmentMessages.ToMessage(appointment, place.Session, place.Station) };
    }

    /// <summary>Everything that keeps this appointment from checking in here today.</summary>
    private static List<(string Type, string Description)> Refusals(AppointmentAt place, StationRecord here, DateOnly today)
    {
        var (appointment, session, station) = place;
        var refusals = new List<(string, string)>();
        if (appointment.Status != AppointmentStatuses.Confirmed)
        {
            var status = AppointmentMessages.Status(appointment.Status).Name;
            refusals.Add((DoorReasons.NotConfirmed, $"Only a confirmed appointment checks in; this one is \"{status}\"."));
        }

        if (station.Id != here.Id)
        {
            refusals.Add((DoorReasons.WrongStation, $"The appointment is at station {station.Id} ({station.Name}, {station.Address}), not {here.Id}."));
        }

        if (session.Date != today)
        {
            refusals.Add((DoorReasons.WrongDay, $"The appointment is on {session.Date:dd/MM/yyyy} ({SlipHandler.SessionName(session.Part)}), not today {today:dd/MM/yyyy}."));
        }

        return refusals;
    }

    /// <summary>The dossier's appointment: the active one when there is one (a dossier confirms one appointment, but an old one may have ended).</summary>
    private async Task<AppointmentRecord?> ByDossierCodeAsync(string code, CancellationToken cancellationToken)
    {
        var all = await db.Set<AppointmentRecord>().Where(a => a.DossierCode == code).ToListAsync(cancellationToken);
        return all.OrderByDescending(a => a.ActiveProcedure is not null).ThenByDescending(a => a.BookedAt).FirstOrDefault();
    }

    private async Task<Appointment?> RetryAnswerAsync(CallerIdentity caller, string requestId, ServerCallContext context, CancellationToken cancellationToken)
    {
        var change = await reads.ChangeAsync(caller.AccountId, requestId, cancellationToken);
        if (change is null)
        {
            return null;
        }

        if (change.Kind != AppointmentChangeKinds.CheckIn)
        {
            throw DoorErrors.RequestIdReused(change.Kind);
        }

        var (appointment, session, station) = (await reads.AppointmentAsync(change.AppointmentId, cancellationToken))!;
        await readLog.WriteAsync(caller, [appointment], context.Method, cancellationToken);
        return AppointmentMessages.ToMessage(appointment, session, station);
    }

    [LoggerMessage(EventId = 1801, Level = LogLevel.Information, Message = "Check-in of appointment {AppointmentId} lost to a concurrent change; it is now {Status}.")]
    private partial void LogRace(Guid appointmentId, string status);
}
