using Grpc.Core;
using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Appointments.Booking;

/// <summary>
/// BookAppointment: a place taken as a hold by one conditional update on the session and the
/// appointment's insert, in one transaction. Idempotent by (account, request id): a retry, even one
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
        var (earlier, accountName) = await FirstLookAsync(caller.AccountId, requestId!, ct);
        if (earlier is not null)
        {
            return new BookAppointmentResponse { Appointment = await AnswerAsync(db, earlier, ct) };
        }

        // A session this instance found full a moment ago is refused without the database (a place is
        // only ever granted by the conditional update below).
        if (gate.KnownFull(stationId!, date!.Value, part!.Value, procedureCode!) is { } full)
        {
            throw full;
        }

        var target = await places.FindAsync(stationId!, date!.Value, part!.Value, procedureCode!, ct);
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
            FullName = accountName ?? await RegistryNameAsync(caller, ct),
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
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            try
            {
                if (!await places.TakeAsync(target.Session.Id, now, ct))
                {
                    await transaction.RollbackAsync(CancellationToken.None);
                    throw await places.NoPlaceAsync(target, procedureCode!, now, ct);
                }

                db.Set<AppointmentRecord>().Add(row);
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
            }
            catch (DbUpdateException)
            {
                // A copy of this request committed first (its request id), or another booking of the
                // same procedure stands (the active index decides; no read-then-write before it): the
                // rollback gives the place back.
                await transaction.RollbackAsync(CancellationToken.None);
                db.ChangeTracker.Clear();
                if (await FindAsync(caller.AccountId, requestId!, ct) is { } winner)
                {
                    return new BookAppointmentResponse { Appointment = await AnswerAsync(db, winner, ct) };
                }

                if (await ActiveAsync(caller.AccountId, procedureCode!, ct) is { } other)
                {
                    throw BookingErrors.AlreadyBookedFor(procedureCode!, other.Id);
                }

                throw;
            }
        }

        LogBooked(row.Id, target.Session.Id, procedureCode!);
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

    private Task<AppointmentRecord?> FindAsync(Guid accountId, string requestId, CancellationToken ct)
        => db.Set<AppointmentRecord>().AsNoTracking().FirstOrDefaultAsync(a => a.AccountId == accountId && a.RequestId == requestId, ct);

    private Task<AppointmentRecord?> ActiveAsync(Guid accountId, string procedureCode, CancellationToken ct)
        => db.Set<AppointmentRecord>().AsNoTracking().FirstOrDefaultAsync(a => a.AccountId == accountId && a.ActiveProcedure == procedureCode, ct);

    /// <summary>
    /// One round for what every booking asks first: the appointment this request id already made (a
    /// retry), and the account's name for the new one. A citizen with no account row (signed in through
    /// a stand-in) falls back to the two reads.
    /// </summary>
    private async Task<(AppointmentRecord? Earlier, string? AccountName)> FirstLookAsync(Guid accountId, string requestId, CancellationToken ct)
    {
        var look = await db.Set<CitizenAccountRecord>().AsNoTracking()
            .Where(a => a.Id == accountId)
            .Select(a => new
            {
                a.FullName,
                EarlierId = db.Set<AppointmentRecord>().Where(x => x.AccountId == accountId && x.RequestId == requestId).Select(x => (Guid?)x.Id).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);
        if (look is null)
        {
            return (await FindAsync(accountId, requestId, ct), null);
        }

        var earlier = look.EarlierId is { } id ? await db.Set<AppointmentRecord>().AsNoTracking().FirstAsync(x => x.Id == id, ct) : null;
        return (earlier, look.FullName);
    }

    /// <summary>The applicant's name from the registry, for a citizen with no account row.</summary>
    private async Task<string> RegistryNameAsync(CallerIdentity caller, CancellationToken ct)
    {
        var idNumber = caller.IdNumber;
        return await db.Set<CitizenRow>().AsNoTracking().Where(c => c.IdNumber == idNumber).Select(c => c.FullName).FirstOrDefaultAsync(ct) ?? "";
    }

    [LoggerMessage(EventId = 1800, Level = LogLevel.Debug, Message = "Appointment {Id} held in session {Session} ({Procedure}).")]
    private partial void LogBooked(Guid id, long session, string procedure);
}
