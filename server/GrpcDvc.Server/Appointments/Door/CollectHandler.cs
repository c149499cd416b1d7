using Grpc.Core;
using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Dossiers.Processing;
using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Storage;

namespace GrpcDvc.Server.Appointments.Door;

/// <summary>
/// MarkCollected (thu nhận xong: photo, fingerprints, iris taken): a checked-in appointment becomes collected and its
/// dossier is received, in ONE transaction — the dossiers' own receipt (<see cref="DossierProcessing"/>:
/// the officer's scope and role, the state machine, receipt CC02, the RECEIVE event on the hash chain) with the
/// appointment's change written inside it. The dossier is then received, ready for StartProcessing. The request id is
/// the key of both writes (the appointment change and the dossier event), so a retry answers and writes nothing.
/// </summary>
public sealed class CollectHandler(DvcDbContext db, DoorReads reads, DossierProcessing processing)
{
    public async Task<MarkCollectedResponse> CollectAsync(MarkCollectedRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        var requestId = DoorInput.RequestId(request.RequestId, violations);
        var id = DoorInput.AppointmentId(request.AppointmentId, violations);
        DoorInput.ThrowIfAny(violations, "MarkCollected");
        var cancellationToken = context.CancellationToken;
        var caller = context.GetCaller();
        if (await reads.ChangeAsync(caller.AccountId, requestId, cancellationToken) is { } first)
        {
            if (first.Kind != AppointmentChangeKinds.Collect || first.AppointmentId != id)
            {
                throw DoorErrors.RequestIdReused(first.Kind);
            }

            return await AnswerAsync(id, cancellationToken);
        }

        var place = await reads.WithinAgencyAsync(
            await reads.AppointmentAsync(id, cancellationToken) ?? throw DoorErrors.AppointmentNotFound(request.AppointmentId), context);
        var appointment = place.Appointment;
        if (appointment.Status != AppointmentStatuses.CheckedIn)
        {
            var status = AppointmentMessages.Status(appointment.Status).Name;
            throw DoorErrors.Refused(request.AppointmentId, [(DoorReasons.NotCheckedIn, $"Only a checked-in appointment is collected; this one is \"{status}\".")]);
        }

        if (appointment.DossierCode is not { } code)
        {
            throw DoorErrors.Refused(request.AppointmentId, [(DoorReasons.NoDossier, "The appointment names no dossier to receive.")]);
        }

        await processing.ReceiveAsync(new ChangeTarget(requestId, code, 0), null, context, change =>
        {
            appointment.Status = AppointmentStatuses.Collected;
            appointment.CollectedAt = change.Now;
            appointment.EndedAt = change.Now;
            // Final: the citizen may book this procedure again (one active appointment per procedure).
            appointment.ActiveProcedure = null;
            appointment.Version++;
            db.Set<AppointmentChangeRecord>().Add(new AppointmentChangeRecord
            {
                AppointmentId = appointment.Id, ActorId = caller.AccountId, RequestId = requestId, Kind = AppointmentChangeKinds.Collect, At = change.Now,
            });
            return Task.CompletedTask;
        });
        return await AnswerAsync(id, cancellationToken);
    }

    /// <summary>The appointment as stored now (after a retry the runner may have answered without running the change).</summary>
    private async Task<MarkCollectedResponse> AnswerAsync(Guid id, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var (appointment, session, station) = (await reads.AppointmentAsync(id, cancellationToken))!;
        return new MarkCollectedResponse { Appointment = AppointmentMessages.ToMessage(appointment, session, station) };
    }
}
