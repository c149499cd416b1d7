using Grpc.Core;
using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Appointments.Booking;

/// <summary>
/// BookAppointment: a place taken as a hold by one conditional update on the session and the
/// appointment's insert, both or neither (<see cref="SessionPlaces.HoldAsync"/>), after one read of
/// everything the booking needs. Idempotent by (account, request id): a retry, even one
/// racing the first, returns the first appointment (the unique index decides which copy wins). One
/// active appointment per citizen and procedure (the unique index on active_procedure): a second is
/// FAILED_PRECONDITION ALREADY_BOOKED naming the first. Behind the per-instance admission gate.
/// </summary>
public sealed partial class AppointmentBooking(
    DvcDbContext db, SessionPlaces places, BookingGate gate, BookingOptions options, TimeProvider time, ILogger<AppointmentBooking> logger)
{
    public async Task<BookAppointmentResponse> BookAsync(BookAppointmentRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var caller = Citizen(context);
        var violations = new List<FieldViolation>();
        var requestId = BookingRules.RequestId(violations, request.RequestId);
        var stationId = BookingRules.Code(violations, "station_id", request.StationId);
        var date = BookingRules.Date(violations, "date", request.Date);
        var part = BookingRules.Part(violations, request.Part);
        var procedureCode = BookingRules.Code(violations, "procedure_code", request.ProcedureCode);
        BookingRules.ThrowIfAny(violations, "The booking is invalid.");

        using var pass = await gate.EnterAsync(ct);

        // A session this instance found full a moment ago is refused without reading it (a place is only
        // ever granted by the conditional update). Only a retry of a booking that got its place is
        // answered otherwise: that costs the one look for the request id.
        if (gate.KnownFull(stationId!, date!.Value, part!.Value, procedureCode!) is { } full)
        {
            return await RetriedAsync(caller.AccountId, requestId!, ct) ?? throw full;
        }

        // One round for everything the booking reads before it takes a place.
        var look = await places.LookAsync(stationId!, date!.Value, part!.Value, procedureCode!,
            new LookingCitizen(caller.AccountId, requestId!, caller.IdNumber ?? ""), ct);
        if (look?.EarlierAppointmentId is { } earlierId)
        {
            var earlier = await db.Set<AppointmentRecord>().AsNoTracking().FirstAsync(a => a.Id == earlierId, ct);
            return new BookAppointmentResponse { Appointment = await AnswerAsync(db, earlier, ct) };
        }

        if (look is null && await RetriedAsync(caller.AccountId, requestId!, ct) is { } retried)
        {
            // No such session now, but this request booked before (the rare case of a session gone since).
            return retried;
        }

        var target = await places.CheckedAsync(look, stationId!, date!.Value, part!.Value, procedureCode!, ct);
        var now = Now(time);
        if (await places.RefusalAsync(target, procedureCode!, now, ct) is { } refusal)
        {
            throw refusal;
        }

        var row = new AppointmentRecord
        {
            Id = Guid.NewGuid(),
            AccountId = caller.AccountId,
            IdNumber = caller.IdNumber!,
            FullName = look!.CitizenName ?? "",
            ProcedureCode = procedureCode!,
            StationId = target.Station.Id,
            SessionId = target.Session.Id,
            Status = AppointmentStatuses.Held,
            ActiveProcedure = procedureCode!,
            RequestId = requestId!,
            HoldExpiresAt = now + options.Hold,
            BookedAt = now,
            Version = 1,
        };
        try
        {
            if (!await places.HoldAsync(row, now, ct))
            {
                throw await places.NoPlaceAsync(target, procedureCode!, now, ct);
            }
        }
        catch (Exception e) when (SessionPlaces.IsDuplicate(e))
        {
            // A copy of this request got in first (its request id), or another booking of the same
            // procedure stands (the active index decides; no read-then-write before it). Either way
            // the place was not taken: the failed insert took the update with it.
            db.ChangeTracker.Clear();
            if (await RetriedAsync(caller.AccountId, requestId!, ct) is { } winner)
            {
                return winner;
            }

            if (await ActiveAsync(caller.AccountId, procedureCode!, ct) is { } other)
            {
                throw BookingErrors.AlreadyBookedFor(procedureCode!, other.Id);
            }

            throw;
        }

        LogBooked(row.Id, target.Session.Id, procedureCode!);
        // The answer is what was just written: the session as read, with the place taken.
        target.Session.Booked++;
        return new BookAppointmentResponse { Appointment = AppointmentMessages.ToMessage(row, target.Session, target.Station) };
    }

    /// <summary>The signed-in citizen, or PERMISSION_DENIED.</summary>
    public static CallerIdentity Citizen(ServerCallContext context)
    {
        var caller = context.GetCaller();
        if (caller.Kind != AccountKind.Citizen || caller.IdNumber is null)
        {
            throw AccessErrors.PermissionDenied(AccessReasons.RoleNotAllowed, "Only a signed-in citizen books appointments.");
        }

        return caller;
    }

    /// <summary>Now, to the millisecond the database keeps.</summary>
    public static DateTimeOffset Now(TimeProvider time) => DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>An appointment as its message, with its session and station read.</summary>
    public static async Task<Appointment> AnswerAsync(DvcDbContext db, AppointmentRecord row, CancellationToken ct)
    {
        var session = await db.Set<StationSessionRecord>().AsNoTracking().FirstAsync(s => s.Id == row.SessionId, ct);
        var station = await db.Set<StationRecord>().AsNoTracking().FirstAsync(s => s.Id == session.StationId, ct);
        var message = AppointmentMessages.ToMessage(row, session, station);
        if (row.Status == AppointmentStatuses.CancelledByStation && row.Offered is { } offered)
        {
            // The sessions the station offered instead, as they stand now (places may have gone since).
            var ids = System.Text.Json.JsonSerializer.Deserialize<long[]>(offered) ?? [];
            var slots = await (
                    from s in db.Set<StationSessionRecord>().AsNoTracking()
                    join st in db.Set<StationRecord>().AsNoTracking() on s.StationId equals st.Id
                    where ids.Contains(s.Id)
                    orderby s.StartsAt
                    select new { Session = s, Station = st })
                .ToListAsync(ct);
            message.Offered.AddRange(slots.Select(o => Slots.SlotMessages.ToMessage(o.Session, o.Station)));
        }

        return message;
    }

    /// <summary>The first answer to this request id, as it stands now, when it was booked before (a retry); else null.</summary>
    private async Task<BookAppointmentResponse?> RetriedAsync(Guid accountId, string requestId, CancellationToken ct)
        => await db.Set<AppointmentRecord>().AsNoTracking().FirstOrDefaultAsync(a => a.AccountId == accountId && a.RequestId == requestId, ct) is { } earlier
            ? new BookAppointmentResponse { Appointment = await AnswerAsync(db, earlier, ct) }
            : null;

    private Task<AppointmentRecord?> ActiveAsync(Guid accountId, string procedureCode, CancellationToken ct)
        => db.Set<AppointmentRecord>().AsNoTracking().FirstOrDefaultAsync(a => a.AccountId == accountId && a.ActiveProcedure == procedureCode, ct);

    [LoggerMessage(EventId = 1800, Level = LogLevel.Debug, Message = "Appointment {Id} held in session {Session} ({Procedure}).")]
    private partial void LogBooked(Guid id, long session, string procedure);
}
