using Grpc.Core;
using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Appointments.Booking;

/// <summary>
/// BookAppointment: a place taken as a hold by one conditional update on the session and the
/// appointment's insert, both or neither, after one read of everything the booking needs: on PostgreSQL
/// read and hold are one statement when no other hold of the session is under way on this instance
/// (<see cref="SessionPlaces.LookAndHoldAsync"/>), else the read comes first and the hold joins the
/// session's next batch (<see cref="SessionPlaces.HoldAsync"/>). Idempotent by (account, request id): a retry, even one
/// racing the first, returns the first appointment (the unique index decides which copy wins). One
/// active appointment per citizen and procedure (the unique index on active_procedure): a second is
/// FAILED_PRECONDITION ALREADY_BOOKED naming the first. Behind the per-instance admission gate.
/// </summary>
public sealed partial class AppointmentBooking(
    DvcDbContext db, SessionPlaces places, SessionHoldLines lines, BookingGate gate, BookingOptions options, TimeProvider time,
    ILogger<AppointmentBooking> logger)
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

        try
        {
            return await PlaceAsync(caller, requestId!, new SessionAsked(stationId!, date!.Value, part!.Value, procedureCode!), ct);
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
    }

    /// <summary>A place for the request, or the refusal that says why not.</summary>
    private async Task<BookAppointmentResponse> PlaceAsync(CallerIdentity caller, string requestId, SessionAsked asked, CancellationToken ct)
    {
        var now = Now(time);
        var row = new AppointmentRecord
        {
            Id = Guid.NewGuid(),
            AccountId = caller.AccountId,
            IdNumber = caller.IdNumber!,
            FullName = "",
            ProcedureCode = asked.ProcedureCode,
            StationId = asked.StationId,
            Status = AppointmentStatuses.Held,
            ActiveProcedure = asked.ProcedureCode,
            RequestId = requestId,
            HoldExpiresAt = now + options.Hold,
            BookedAt = now,
            Version = 1,
        };

        // On PostgreSQL a booking alone on its session reads and holds in one statement (one round trip);
        // one that finds other holds of the session under way reads first and joins their next batch.
        var key = SessionHoldLines.Key(asked.StationId, asked.Date, asked.Part);
        var leads = places.LooksAndHoldsAtOnce && lines.TryLead(key);
        LookedAndHeld done;
        try
        {
            done = leads
                ? await places.LookAndHoldAsync(asked.StationId, asked.Date, asked.Part, asked.ProcedureCode, row, now, ct)
                : new LookedAndHeld(await places.LookAsync(asked.StationId, asked.Date, asked.Part, asked.ProcedureCode,
                    new LookingCitizen(caller.AccountId, requestId, caller.IdNumber ?? ""), ct), null);
        }
        finally
        {
            if (leads)
            {
                lines.Done(key);
            }
        }

        var look = done.Look;
        if (look?.EarlierAppointmentId is { } earlierId)
        {
            var earlier = await db.Set<AppointmentRecord>().AsNoTracking().FirstAsync(a => a.Id == earlierId, ct);
            return new BookAppointmentResponse { Appointment = await AnswerAsync(db, earlier, ct) };
        }

        if (look is null && await RetriedAsync(caller.AccountId, requestId, ct) is { } retried)
        {
            // No such session now, but this request booked before (the rare case of a session gone since).
            return retried;
        }

        var target = await places.CheckedAsync(look, asked.StationId, asked.Date, asked.Part, asked.ProcedureCode, ct);
        if (done.BookedAfter is { } bookedAfter)
        {
            target.Session.Booked = bookedAfter;
        }
        else
        {
            if (await places.RefusalAsync(target, asked.ProcedureCode, now, ct) is { } refusal)
            {
                throw refusal;
            }

            // The read found a place. The one statement, when it ran, did not get it (taken meanwhile by
            // another instance, or the session closed); else the hold comes now.
            row.FullName = look!.CitizenName ?? "";
            row.StationId = target.Station.Id;
            row.SessionId = target.Session.Id;
            if (leads || !await places.HoldAsync(target, row, now, ct))
            {
                throw await places.NoPlaceAsync(target, asked.ProcedureCode, now, ct);
            }

            // The answer is what was just written: the session as read, with the place taken.
            target.Session.Booked++;
        }

        LogBooked(row.Id, target.Session.Id, asked.ProcedureCode);
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
        => await (db.Database.IsNpgsql() ? EarlierOnPostgres : EarlierOnSqlite)(db, accountId, requestId, ct) is { } earlier
            ? new BookAppointmentResponse { Appointment = await AnswerAsync(db, earlier, ct) }
            : null;

    // Compiled, one per provider (see SessionPlaces.LookAsync): every refusal of a session this instance
    // remembers full runs this look for the request id, thousands a second in a storm.
    private static readonly Func<DvcDbContext, Guid, string, CancellationToken, Task<AppointmentRecord?>> EarlierOnPostgres = CompileEarlier();
    private static readonly Func<DvcDbContext, Guid, string, CancellationToken, Task<AppointmentRecord?>> EarlierOnSqlite = CompileEarlier();

    private static Func<DvcDbContext, Guid, string, CancellationToken, Task<AppointmentRecord?>> CompileEarlier() => EF.CompileAsyncQuery(
        (DvcDbContext db, Guid accountId, string requestId, CancellationToken ct) =>
            db.Set<AppointmentRecord>().AsNoTracking().FirstOrDefault(a => a.AccountId == accountId && a.RequestId == requestId));

    private Task<AppointmentRecord?> ActiveAsync(Guid accountId, string procedureCode, CancellationToken ct)
        => db.Set<AppointmentRecord>().AsNoTracking().FirstOrDefaultAsync(a => a.AccountId == accountId && a.ActiveProcedure == procedureCode, ct);

    /// <summary>The session a booking names, and the procedure.</summary>
    private sealed record SessionAsked(string StationId, DateOnly Date, int Part, string ProcedureCode);

    [LoggerMessage(EventId = 1800, Level = LogLevel.Debug, Message = "Appointment {Id} held in session {Session} ({Procedure}).")]
    private partial void LogBooked(Guid id, long session, string procedure);
}
