using System.Data.Common;
using Grpc.Core;
using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Appointments.Booking;

/// <summary>
/// RescheduleAppointment and CancelAppointment. Each is one transaction: the appointment updated on
/// the version it was read at, the places moved (the new one by the conditional update, the old one
/// freed), and an appointment_changes row whose unique (actor, request id) makes a retry, even a racing
/// copy, find the first answer. An appointment whose dossier is submitted stays with that dossier's
/// unit (the dossier went to it): it may move to a session of any station of the same unit, and the
/// dossier follows to the new station in the same transaction.
/// <para>
/// Rebooking: when the station moved a citizen out (closed the session, cut its quota) or the
/// citizen missed the day, the dossier still waits for its collection. Rescheduling that ended
/// appointment into an open session takes a new place and makes it confirmed again, for the same
/// dossier; it needs the dossier still submitted and no other active appointment for the procedure.
/// </para>
/// </summary>
public sealed class AppointmentChanges(DvcDbContext db, SessionPlaces places, BookingGate gate, TimeProvider time)
{
    public async Task<RescheduleAppointmentResponse> RescheduleAsync(RescheduleAppointmentRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var caller = AppointmentBooking.Citizen(context);
        var violations = new List<FieldViolation>();
        var requestId = BookingRules.RequestId(violations, request.RequestId);
        var appointmentId = BookingRules.AppointmentId(violations, request.AppointmentId);
        var stationId = BookingRules.Code(violations, "station_id", request.StationId);
        var date = BookingRules.Date(violations, "date", request.Date);
        var part = BookingRules.Part(violations, request.Part);
        BookingRules.ThrowIfAny(violations, "The reschedule is invalid.");

        if (await EarlierAsync(caller.AccountId, requestId!, appointmentId!.Value, AppointmentChangeKinds.Reschedule, ct) is { } earlier)
        {
            return new RescheduleAppointmentResponse { Appointment = earlier };
        }

        var now = AppointmentBooking.Now(time);
        var row = await ChangeableAsync(caller.AccountId, appointmentId!.Value, now, ct, rebooking: true);
        var target = await places.FindAsync(stationId!, date!.Value, part!.Value, row.ProcedureCode, ct);
        var rebook = IsRebooking(row);
        if (target.Session.Id == row.SessionId && !rebook)
        {
            throw RpcErrors.FailedPrecondition(BookingErrors.SameSession, $"appointments/{row.Id}", "The appointment is already in that session.");
        }

        if (row.DossierId is not null && target.Station.Id != row.StationId)
        {
            await SameUnitAsync(row, target.Station, ct);
        }

        if (rebook)
        {
            await RebookableAsync(row, ct);
        }

        if (await places.RefusalAsync(target, row.ProcedureCode, now, ct) is { } refusal)
        {
            throw refusal;
        }

        if (rebook)
        {
            return new RescheduleAppointmentResponse { Appointment = await RebookAsync(row, target, caller.AccountId, requestId!, now, ct) };
        }

        var change = Change(row, caller.AccountId, requestId!, AppointmentChangeKinds.Reschedule, now, target.Session.Id);
        return new RescheduleAppointmentResponse
        {
            Appointment = await ApplyAsync(row, change, caller.AccountId, async () =>
            {
                if (!await places.TakeAsync(target.Session.Id, now, ct))
                {
                    return false;
                }

                await places.FreeAsync(row.SessionId, ct);
                var sessionId = target.Session.Id;
                var newStation = target.Station.Id;
                return await Current(row, now).ExecuteUpdateAsync(u => u
                    .SetProperty(a => a.SessionId, sessionId)
                    .SetProperty(a => a.StationId, newStation)
                    .SetProperty(a => a.Version, a => a.Version + 1), ct) == 1
                    && await FollowAsync(row, newStation, ct);
            }, async () => throw await places.NoPlaceAsync(target, row.ProcedureCode, now, ct), ct),
        };
    }

    /// <summary>An appointment the station ended or the citizen missed, whose dossier still waits: the one kind of ended appointment that moves again.</summary>
    private static bool IsRebooking(AppointmentRecord row)
        => row.DossierId is not null && row.Status is AppointmentStatuses.CancelledByStation or AppointmentStatuses.NoShow or AppointmentStatuses.Cancelled;

    /// <summary>The rebooking: a new place, the appointment confirmed and active again for the same dossier, in one transaction.</summary>
    private async Task<Appointment> RebookAsync(
        AppointmentRecord row, BookedSession target, Guid actorId, string requestId, DateTimeOffset now, CancellationToken ct)
    {
        var change = Change(row, actorId, requestId, AppointmentChangeKinds.Rebook, now, target.Session.Id);
        var (id, version, procedure) = (row.Id, row.Version, row.ProcedureCode);
        var (sessionId, stationId) = (target.Session.Id, target.Station.Id);
        try
        {
            return await ApplyAsync(row, change, actorId, async () =>
            {
                if (!await places.TakeAsync(sessionId, now, ct))
                {
                    return false;
                }

                return await db.Set<AppointmentRecord>()
                        .Where(a => a.Id == id && a.Version == version
                            && (a.Status == AppointmentStatuses.CancelledByStation || a.Status == AppointmentStatuses.NoShow || a.Status == AppointmentStatuses.Cancelled))
                        .ExecuteUpdateAsync(u => u
                            .SetProperty(a => a.Status, AppointmentStatuses.Confirmed)
                            .SetProperty(a => a.ActiveProcedure, procedure)
                            .SetProperty(a => a.SessionId, sessionId)
                            .SetProperty(a => a.StationId, stationId)
                            .SetProperty(a => a.EndedAt, (DateTimeOffset?)null)
                            .SetProperty(a => a.CheckedInAt, (DateTimeOffset?)null)
                            .SetProperty(a => a.Offered, (string?)null)
                            .SetProperty(a => a.Version, a => a.Version + 1), ct) == 1
                    && await FollowAsync(row, stationId, ct);
            }, async () => throw await places.NoPlaceAsync(target, row.ProcedureCode, now, ct), ct);
        }
        catch (Exception e) when (e is DbUpdateException or DbException)
        {
            // The unique (account, active procedure) index: another appointment for the procedure became active meanwhile.
            // ExecuteUpdate does not wrap the provider's error in a DbUpdateException, so both are caught here.
            if (await OtherActiveAsync(row, ct) is { } busy)
            {
                throw busy;
            }

            throw;
        }
    }

    private async Task RebookableAsync(AppointmentRecord row, CancellationToken ct)
    {
        var dossierId = row.DossierId!.Value;
        var status = await db.Set<Dossiers.DossierRecord>().AsNoTracking().Where(d => d.Id == dossierId).Select(d => d.Status).FirstOrDefaultAsync(ct);
        if (status != Dossiers.DossierStatuses.Code(Dossiers.DossierStatus.Submitted))
        {
            throw RpcErrors.FailedPrecondition(BookingErrors.DossierNotWaiting, $"appointments/{row.Id}",
                "The appointment's dossier no longer waits for its collection (it was withdrawn, refused or received): book a new appointment with a new dossier.");
        }

        if (await OtherActiveAsync(row, ct) is { } busy)
        {
            throw busy;
        }
    }

    private async Task<RpcException?> OtherActiveAsync(AppointmentRecord row, CancellationToken ct)
    {
        var (accountId, procedure, id) = (row.AccountId, row.ProcedureCode, row.Id);
        var other = await db.Set<AppointmentRecord>().AsNoTracking()
            .Where(a => a.AccountId == accountId && a.ActiveProcedure == procedure && a.Id != id).Select(a => (Guid?)a.Id).FirstOrDefaultAsync(ct);
        return other is { } existing ? BookingErrors.AlreadyBookedFor(procedure, existing) : null;
    }

    /// <summary>A submitted dossier went to its station's unit: its appointment may move only among that unit's stations.</summary>
    private async Task SameUnitAsync(AppointmentRecord row, StationRecord target, CancellationToken ct)
    {
        var stationId = row.StationId;
        var unitId = await db.Set<StationRecord>().AsNoTracking().Where(s => s.Id == stationId).Select(s => s.UnitId).FirstAsync(ct);
        if (unitId != target.UnitId)
        {
            throw RpcErrors.FailedPrecondition(BookingErrors.StationFixed, $"appointments/{row.Id}",
                "The dossier was submitted to this station's unit: choose a session of a station of the same unit.");
        }
    }

    /// <summary>The dossier names the station its citizen will come to: it follows the appointment (the unit stays the same).</summary>
    private async Task<bool> FollowAsync(AppointmentRecord row, string stationId, CancellationToken ct)
    {
        if (row.DossierId is not { } dossierId || stationId == row.StationId)
        {
            return true;
        }

        await db.Set<Dossiers.DossierRecord>().Where(d => d.Id == dossierId).ExecuteUpdateAsync(u => u.SetProperty(d => d.StationId, stationId), ct);
        return true;
    }

    public async Task<CancelAppointmentResponse> CancelAsync(CancelAppointmentRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var caller = AppointmentBooking.Citizen(context);
        var violations = new List<FieldViolation>();
        var requestId = BookingRules.RequestId(violations, request.RequestId);
        var appointmentId = BookingRules.AppointmentId(violations, request.AppointmentId);
        BookingRules.ThrowIfAny(violations, "The cancellation is invalid.");

        if (await EarlierAsync(caller.AccountId, requestId!, appointmentId!.Value, AppointmentChangeKinds.Cancel, ct) is { } earlier)
        {
            return new CancelAppointmentResponse { Appointment = earlier };
        }

        var now = AppointmentBooking.Now(time);
        var row = await ChangeableAsync(caller.AccountId, appointmentId!.Value, now, ct);
        var change = Change(row, caller.AccountId, requestId!, AppointmentChangeKinds.Cancel, now, null);
        return new CancelAppointmentResponse
        {
            Appointment = await ApplyAsync(row, change, caller.AccountId, async () =>
            {
                var cancelled = await Current(row, now).ExecuteUpdateAsync(u => u
                    .SetProperty(a => a.Status, AppointmentStatuses.Cancelled)
                    .SetProperty(a => a.ActiveProcedure, (string?)null)
                    .SetProperty(a => a.HoldExpiresAt, (DateTimeOffset?)null)
                    .SetProperty(a => a.EndedAt, now)
                    .SetProperty(a => a.Version, a => a.Version + 1), ct) == 1;
                if (cancelled)
                {
                    await places.FreeAsync(row.SessionId, ct);
                }

                return cancelled;
            }, null, ct),
        };
    }

    /// <summary>
    /// Runs <paramref name="write"/> and records <paramref name="change"/> in one transaction. When
    /// the write finds nothing to do (the appointment moved on since it was read, or no place),
    /// everything rolls back: a copy of the same request that won answers; else <paramref name="noPlace"/>
    /// explains, or ABORTED.
    /// </summary>
    private async Task<Appointment> ApplyAsync(AppointmentRecord row, AppointmentChangeRecord change, Guid actorId,
        Func<Task<bool>> write, Func<Task>? noPlace, CancellationToken ct)
    {
        var fromSession = row.SessionId;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            try
            {
                if (!await write())
                {
                    await transaction.RollbackAsync(CancellationToken.None);
                    if (await EarlierAsync(actorId, change.RequestId!, change.AppointmentId, change.Kind, ct) is { } winner)
                    {
                        return winner;
                    }

                    var unchanged = await db.Set<AppointmentRecord>().AsNoTracking().AnyAsync(a => a.Id == row.Id && a.Version == row.Version, ct);
                    if (unchanged && noPlace is not null)
                    {
                        await noPlace();
                    }

                    throw RpcErrors.Create(StatusCode.Aborted, "The appointment changed at the same moment; read it again and retry.",
                        RpcErrors.Reason(BookingErrors.ChangedConcurrently));
                }

                db.Set<AppointmentChangeRecord>().Add(change);
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
            }
            catch (DbUpdateException)
            {
                // A copy of the same request committed its change first: its answer is this one's.
                await transaction.RollbackAsync(CancellationToken.None);
                db.ChangeTracker.Clear();
                if (await EarlierAsync(actorId, change.RequestId!, change.AppointmentId, change.Kind, ct) is { } winner)
                {
                    return winner;
                }

                throw;
            }
        }

        gate.Freed(fromSession);
        var saved = await db.Set<AppointmentRecord>().AsNoTracking().FirstAsync(a => a.Id == row.Id, ct);
        return await AppointmentBooking.AnswerAsync(db, saved, ct);
    }

    /// <summary>
    /// The appointment as it stands when this account already made this change with this request id (a
    /// retry); INVALID_ARGUMENT when the id went to another change or another appointment, whose answer
    /// would look like this one's while nothing asked for had happened.
    /// </summary>
    private async Task<Appointment?> EarlierAsync(Guid actorId, string requestId, Guid appointmentId, string kind, CancellationToken ct)
    {
        var first = await db.Set<AppointmentChangeRecord>().AsNoTracking()
            .Where(c => c.ActorId == actorId && c.RequestId == requestId).Select(c => new { c.AppointmentId, c.Kind }).FirstOrDefaultAsync(ct);
        if (first is null)
        {
            return null;
        }

        if (first.AppointmentId != appointmentId || Family(first.Kind) != Family(kind))
        {
            throw RpcErrors.InvalidArgument("The request id was used for another change.",
                new FieldViolation("request_id", "Already used for another change or appointment; make up a new id for each change.", BookingErrors.RequestIdReused));
        }

        var row = await db.Set<AppointmentRecord>().AsNoTracking().FirstAsync(a => a.Id == appointmentId, ct);
        return await AppointmentBooking.AnswerAsync(db, row, ct);
    }

    // A reschedule of an appointment the station ended is recorded as a rebooking: one request either way.
    private static string Family(string kind) => kind == AppointmentChangeKinds.Rebook ? AppointmentChangeKinds.Reschedule : kind;

    /// <summary>The caller's appointment, held (unexpired) or confirmed, or (<paramref name="rebooking"/>) one to rebook; NOT_FOUND for another's.</summary>
    private async Task<AppointmentRecord> ChangeableAsync(Guid accountId, Guid id, DateTimeOffset now, CancellationToken ct, bool rebooking = false)
    {
        var row = await db.Set<AppointmentRecord>().AsNoTracking().FirstOrDefaultAsync(a => a.Id == id && a.AccountId == accountId, ct)
            ?? throw RpcErrors.NotFound("appointment", id.ToString(), "You have no such appointment.");
        if (row.Status == AppointmentStatuses.Held && row.HoldExpiresAt <= now)
        {
            throw RpcErrors.FailedPrecondition(BookingErrors.HoldExpired, $"appointments/{id}", "The hold has expired; book again.");
        }

        if (row.Status is not (AppointmentStatuses.Held or AppointmentStatuses.Confirmed) && !(rebooking && IsRebooking(row)))
        {
            throw RpcErrors.FailedPrecondition(BookingErrors.NotActive, $"appointments/{id}",
                $"The appointment is {AppointmentMessages.Status(row.Status).Name}: it can no longer be changed.");
        }

        return row;
    }

    /// <summary>The appointment still as it was read: same version, and a hold not expired meanwhile.</summary>
    private IQueryable<AppointmentRecord> Current(AppointmentRecord row, DateTimeOffset now)
    {
        var (id, version) = (row.Id, row.Version);
        return db.Set<AppointmentRecord>().Where(a => a.Id == id && a.Version == version
            && (a.Status == AppointmentStatuses.Confirmed || (a.Status == AppointmentStatuses.Held && a.HoldExpiresAt > now)));
    }

    private static AppointmentChangeRecord Change(AppointmentRecord row, Guid actorId, string requestId, string kind, DateTimeOffset now, long? toSession)
        => new()
        {
            AppointmentId = row.Id,
            ActorId = actorId,
            RequestId = requestId,
            Kind = kind,
            FromSessionId = row.SessionId,
            ToSessionId = toSession,
            At = now,
        };
}
