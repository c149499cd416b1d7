using System.Data.Common;
using System.Globalization;
using Grpc.Core;
using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Server.Appointments.Slots;
using GrpcDvc.Server.Catalog;
using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Appointments.Booking;

/// <summary>A session with its station.</summary>
public sealed record BookedSession(StationSessionRecord Session, StationRecord Station)
{
    public string Label => string.Create(CultureInfo.InvariantCulture,
        $"{Station.Name}, {Session.Date:dd/MM/yyyy} {(Session.Part switch { 1 => "sáng", 2 => "chiều", _ => "tối" })}");
}

/// <summary>
/// A session as <see cref="SessionPlaces.LookAsync"/> reads it: with its station, whether the station
/// takes the procedure, whether the procedure is booked at stations, and for a booking the
/// appointment its request id already made and the citizen's name.
/// </summary>
public sealed class SessionLook
{
    public required StationSessionRecord Session { get; init; }

    public required StationRecord Station { get; init; }

    public bool Takes { get; init; }

    public bool Bookable { get; init; }

    /// <summary>The appointment the booking's request id already made (a retry), or null.</summary>
    public Guid? EarlierAppointmentId { get; init; }

    /// <summary>The citizen's name: the account's, else the registry's (a stand-in sign-in has no account row).</summary>
    public string? CitizenName { get; init; }
}

/// <summary>Who asks, for the booking's part of <see cref="SessionPlaces.LookAsync"/>; <see cref="None"/> for anyone else.</summary>
public sealed record LookingCitizen(Guid AccountId, string RequestId, string IdNumber)
{
    public static LookingCitizen None { get; } = new(Guid.Empty, "", "");
}

/// <summary>
/// The places of sessions: found, taken and freed. A place is taken only by the one conditional update
/// (<see cref="TakeAsync"/> in the caller's transaction with the appointment row, or <see cref="HoldAsync"/>
/// with the new appointment's insert); everything else here only reads, and its answers are refusals or
/// suggestions, never a place.
/// </summary>
public sealed partial class SessionPlaces(DvcDbContext db, CatalogStore catalog, BookingGate gate, SessionHoldLines lines, NearbyOffers offers)
{
    /// <summary>Alternatives offered with a full session's refusal.</summary>
    public const int Alternatives = 5;

    /// <summary>The procedure, when it is one booked at stations (level 3, identity cards).</summary>
    public async Task<ProcedureRecord> BookableAsync(string code, CancellationToken ct)
    {
        var procedure = await catalog.FindAsync(code, ct)
            ?? throw RpcErrors.NotFound("procedure", code, $"The catalog has no procedure {code}.");
        if (procedure is not { ServiceLevel: 3, Field: "identity" })
        {
            throw RpcErrors.FailedPrecondition(BookingErrors.NotBookable, $"procedures/{code}",
                $"{code} is not a level-3 identity-card procedure: it is not booked at a collection station.");
        }

        return procedure;
    }

    /// <summary>
    /// The session of the station on that date and part, at a station taking bookings and the
    /// procedure, which must be one booked at stations: one database round when all is well.
    /// </summary>
    public async Task<BookedSession> FindAsync(string stationId, DateOnly date, int part, string procedureCode, CancellationToken ct)
        => await CheckedAsync(await LookAsync(stationId, date, part, procedureCode, LookingCitizen.None, ct), stationId, date, part, procedureCode, ct);

    /// <summary>
    /// The read behind <see cref="FindAsync"/> and a booking: the session with its station and what the
    /// refusals need to know, and for a booking (<paramref name="citizen"/>) its request id's earlier
    /// appointment and the citizen's name, as one row. Null when the station has no such session.
    /// </summary>
    public Task<SessionLook?> LookAsync(string stationId, DateOnly date, int part, string procedureCode, LookingCitizen citizen, CancellationToken ct)
        => (db.Database.IsNpgsql() ? LookOnPostgres : LookOnSqlite)(
            db, stationId, date, part, procedureCode, citizen.AccountId, citizen.RequestId, citizen.IdNumber, ct);

    // Compiled once: a booking storm runs this read thousands of times a second, and a LINQ query is
    // rebuilt as an expression tree and looked up in EF Core's cache on every call (the storm's profile
    // showed that work; compiled, the storm went from 1,711 to 2,700 answers/s). A compiled query keeps
    // the SQL of the first database it ran on: one per provider, for a process (the tests) that holds
    // both. Each value is a parameter of its own: EF Core cannot translate a member of a compiled
    // query's parameter. BookingRoundTripTests holds its SQL to one read.
    private static readonly Func<DvcDbContext, string, DateOnly, int, string, Guid, string, string, CancellationToken, Task<SessionLook?>> LookOnPostgres = CompileLook();
    private static readonly Func<DvcDbContext, string, DateOnly, int, string, Guid, string, string, CancellationToken, Task<SessionLook?>> LookOnSqlite = CompileLook();

    private static Func<DvcDbContext, string, DateOnly, int, string, Guid, string, string, CancellationToken, Task<SessionLook?>> CompileLook() => EF.CompileAsyncQuery(
        (DvcDbContext db, string stationId, DateOnly date, int part, string procedureCode, Guid accountId, string requestId, string idNumber, CancellationToken ct) =>
            (from s in db.Set<StationSessionRecord>().AsNoTracking()
             join st in db.Set<StationRecord>().AsNoTracking() on s.StationId equals st.Id
             where s.StationId == stationId && s.Date == date && s.Part == part
             select new SessionLook
             {
                 Session = s,
                 Station = st,
                 Takes = db.Set<StationProcedureRecord>().Any(p => p.StationId == st.Id && p.ProcedureCode == procedureCode),
                 Bookable = db.Set<ProcedureRecord>().Any(p => p.Code == procedureCode && p.ServiceLevel == 3 && p.Field == "identity"),
                 EarlierAppointmentId = db.Set<AppointmentRecord>().Where(a => a.AccountId == accountId && a.RequestId == requestId).Select(a => (Guid?)a.Id).FirstOrDefault(),
                 // COALESCE: the registry is only read when there is no account row.
                 CitizenName = db.Set<CitizenAccountRecord>().Where(a => a.Id == accountId).Select(a => a.FullName).FirstOrDefault()
                     ?? db.Set<CitizenRow>().Where(c => c.IdNumber == idNumber).Select(c => c.FullName).FirstOrDefault(),
             })
            .FirstOrDefault());

    /// <summary>The session <see cref="LookAsync"/> found, or the refusal of the station, the procedure or a missing session.</summary>
    public async Task<BookedSession> CheckedAsync(SessionLook? found, string stationId, DateOnly date, int part, string procedureCode, CancellationToken ct)
    {
        if (found is not { Bookable: true })
        {
            // Unknown or not a level-3 identity-card procedure: that answer first.
            await BookableAsync(procedureCode, ct);
        }

        if (found is null)
        {
            throw RpcErrors.NotFound("session", $"{stationId}/{date:yyyy-MM-dd}/{part}", "The station has no such session (its day may not be open yet).");
        }

        if (!found.Station.Accepting)
        {
            throw RpcErrors.FailedPrecondition(BookingErrors.StationNotAccepting, $"stations/{stationId}", "The station takes no bookings at present.");
        }

        if (!found.Takes)
        {
            throw RpcErrors.FailedPrecondition(BookingErrors.StationNotTaking, $"stations/{stationId}", $"The station does not take {procedureCode}.");
        }

        return new BookedSession(found.Session, found.Station);
    }

    /// <summary>The refusal a session read a moment ago already earns (closed, not open, started, full), or null when it looked bookable.</summary>
    public async Task<RpcException?> RefusalAsync(BookedSession target, string procedureCode, DateTimeOffset now, CancellationToken ct)
    {
        var session = target.Session;
        var subject = $"station_sessions/{session.Id}";
        if (session.Closed)
        {
            return RpcErrors.FailedPrecondition(BookingErrors.Closed, subject, $"{target.Label} is closed by the station.");
        }

        if (session.StartsAt <= now)
        {
            return RpcErrors.FailedPrecondition(BookingErrors.Started, subject, $"{target.Label} has already started; choose a later session.");
        }

        if (session.OpensAt > now)
        {
            var opens = Calendar.VietnamTime.ToLocal(session.OpensAt);
            return RpcErrors.FailedPrecondition(BookingErrors.NotOpenYet, subject,
                string.Create(CultureInfo.InvariantCulture, $"{target.Label} opens for booking at {opens:HH:mm dd/MM/yyyy} (Vietnam time)."));
        }

        return session.Booked >= session.Capacity ? await FullAsync(target, procedureCode, now, ct) : null;
    }

    /// <summary>
    /// Takes one place of the appointment's session (<paramref name="target"/>) and inserts the appointment
    /// holding it: both or neither. False when the conditional update found no place (nothing written). A
    /// second active appointment or a reused request id fails on its unique index and takes no place either
    /// (see <see cref="IsDuplicate"/>).
    /// </summary>
    public async Task<bool> HoldAsync(BookedSession target, AppointmentRecord row, DateTimeOffset now, CancellationToken ct)
    {
        if (db.Database.IsNpgsql())
        {
            // A batch runs on its leader's context for everyone in it: no one caller's cancellation may end it.
            var key = SessionHoldLines.Key(target.Session.StationId, target.Session.Date, target.Session.Part);
            var outcome = await lines.HoldAsync(key, row, () => HoldAloneAsync(row, now, ct), rows => HoldTogetherAsync(rows, now, CancellationToken.None));
            return outcome switch
            {
                HoldOutcome.Held => true,
                HoldOutcome.NoPlace => false,
                _ => await HoldAloneAsync(row, now, ct),
            };
        }

        // SQLite has no data-modifying WITH, and one writer at a time anyway: the update and the insert share
        // a transaction, and the rollback on any failure (disposal without commit) gives the place back.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!await TakeAsync(row.SessionId, now, ct))
        {
            return false;
        }

        db.Set<AppointmentRecord>().Add(row);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    /// <summary>A failure of <see cref="HoldAsync"/> on a unique index: SaveChanges wraps it (SQLite), the one statement does not (SQLSTATE 23505, unique_violation).</summary>
    public static bool IsDuplicate(Exception e) => e is DbUpdateException or DbException { SqlState: "23505" };

    /// <summary>
    /// PostgreSQL: one hold as one statement committing by itself, one round trip instead of four (BEGIN
    /// with the update, the insert, COMMIT). The insert reads the update's RETURNING, so no place means no
    /// row; a unique violation aborts the whole statement, update included, so a refused insert never
    /// keeps a place. The common case: a batch's statement (<see cref="HoldTogetherAsync"/>) costs more to
    /// send and to plan, which only a batch repays.
    /// </summary>
    private async Task<bool> HoldAloneAsync(AppointmentRecord row, DateTimeOffset now, CancellationToken ct)
    {
        var at = now.ToUnixTimeMilliseconds();
        var holdExpiresAt = row.HoldExpiresAt?.ToUnixTimeMilliseconds();
        var inserted = await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            WITH taken AS (
                UPDATE station_sessions SET booked = booked + 1
                 WHERE id = {row.SessionId} AND booked < capacity AND NOT closed AND opens_at <= {at} AND starts_at > {at}
                RETURNING id)
            INSERT INTO appointments (id, account_id, id_number, full_name, procedure_code, station_id, session_id, status,
                                      active_procedure, request_id, hold_expires_at, booked_at, version)
            SELECT {row.Id}, {row.AccountId}, {row.IdNumber}, {row.FullName}, {row.ProcedureCode}, {row.StationId}, taken.id, {row.Status},
                   {row.ActiveProcedure}, {row.RequestId}, {holdExpiresAt}, {row.BookedAt.ToUnixTimeMilliseconds()}, {row.Version}
              FROM taken
            """, ct);
        return inserted == 1;
    }

    /// <summary>
    /// PostgreSQL: the holds of a batch, bookings of one session in order of arrival, as one statement
    /// committing by itself: one round trip, one row lock and one commit however many they are (<see cref="SessionHoldLines"/>).
    /// The conditional update takes at most the places left (the session's row locked first, so the count it
    /// read is the one it adds to); the insert takes the rows up to the places taken, so no place means no
    /// row. A unique violation aborts the whole statement, update included, so a refused insert never keeps
    /// a place. Answers the ids of the appointments inserted.
    /// </summary>
    private async Task<IReadOnlySet<Guid>> HoldTogetherAsync(IReadOnlyList<AppointmentRecord> rows, DateTimeOffset now, CancellationToken ct)
    {
        var at = now.ToUnixTimeMilliseconds();
        var sessionId = rows[0].SessionId;
        var ids = rows.Select(r => r.Id).ToArray();
        var accounts = rows.Select(r => r.AccountId).ToArray();
        var idNumbers = rows.Select(r => r.IdNumber).ToArray();
        var names = rows.Select(r => r.FullName).ToArray();
        var procedures = rows.Select(r => r.ProcedureCode).ToArray();
        var stations = rows.Select(r => r.StationId).ToArray();
        var statuses = rows.Select(r => r.Status).ToArray();
        var actives = rows.Select(r => r.ActiveProcedure).ToArray();
        var requests = rows.Select(r => r.RequestId).ToArray();
        var expires = rows.Select(r => r.HoldExpiresAt?.ToUnixTimeMilliseconds()).ToArray();
        var bookedAt = rows.Select(r => r.BookedAt.ToUnixTimeMilliseconds()).ToArray();
        var versions = rows.Select(r => r.Version).ToArray();
        var inserted = await db.Database.SqlQuery<Guid>(
            $"""
            WITH taken AS (
                UPDATE station_sessions s SET booked = s.booked + LEAST(s.capacity - s.booked, {rows.Count})
                  FROM (SELECT id, booked FROM station_sessions WHERE id = {sessionId} FOR UPDATE) locked
                 WHERE s.id = locked.id AND s.booked < s.capacity AND NOT s.closed AND s.opens_at <= {at} AND s.starts_at > {at}
                RETURNING s.booked - locked.booked AS granted)
            INSERT INTO appointments (id, account_id, id_number, full_name, procedure_code, station_id, session_id, status,
                                      active_procedure, request_id, hold_expires_at, booked_at, version)
            SELECT w.id, w.account_id, w.id_number, w.full_name, w.procedure_code, w.station_id, {sessionId}, w.status,
                   w.active_procedure, w.request_id, w.hold_expires_at, w.booked_at, w.version
              FROM unnest({ids}, {accounts}, {idNumbers}, {names}, {procedures}, {stations}, {statuses}, {actives}, {requests}, {expires}, {bookedAt}, {versions})
                   WITH ORDINALITY AS w(id, account_id, id_number, full_name, procedure_code, station_id, status, active_procedure, request_id,
                                        hold_expires_at, booked_at, version, ord),
                   taken
             WHERE w.ord <= taken.granted
            RETURNING id AS "Value"
            """).ToListAsync(ct);
        return inserted.ToHashSet();
    }

    /// <summary>Takes one place: the one conditional update, in the caller's transaction.</summary>
    public async Task<bool> TakeAsync(long sessionId, DateTimeOffset now, CancellationToken ct)
        => await db.Set<StationSessionRecord>()
            .Where(s => s.Id == sessionId && s.Booked < s.Capacity && !s.Closed && s.OpensAt <= now && s.StartsAt > now)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Booked, s => s.Booked + 1), ct) == 1;

    /// <summary>Frees one place (never below zero), in the caller's transaction.</summary>
    public async Task FreeAsync(long sessionId, CancellationToken ct)
        => await db.Set<StationSessionRecord>()
            .Where(s => s.Id == sessionId && s.Booked > 0)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Booked, s => s.Booked - 1), ct);

    /// <summary>Why the conditional update took no place: the session read again (after the rollback).</summary>
    public async Task<RpcException> NoPlaceAsync(BookedSession target, string procedureCode, DateTimeOffset now, CancellationToken ct)
    {
        var session = await db.Set<StationSessionRecord>().AsNoTracking().FirstAsync(s => s.Id == target.Session.Id, ct);
        var again = target with { Session = session };
        return await RefusalAsync(again, procedureCode, now, ct) ?? await FullAsync(again, procedureCode, now, ct);
    }

    /// <summary>
    /// RESOURCE_EXHAUSTED with the next open sessions of the station's unit and commune; remembered briefly, the
    /// refusal for the session and the offers for the area (<see cref="NearbyOffers"/>). The read asks one more
    /// than it offers and leaves out the full session itself afterwards, so that what it found serves the
    /// refusals of the area's other sessions too.
    /// </summary>
    private async Task<RpcException> FullAsync(BookedSession target, string procedureCode, DateTimeOffset now, CancellationToken ct)
    {
        var area = SlotArea.Units([target.Station.UnitId, target.Station.CommuneUnitId]);
        var near = offers.Find(area, procedureCode, target.Session.Date, target.Session.Id, Alternatives);
        if (near is null)
        {
            var found = await OpenSlotQuery.FindAsync(db, area, procedureCode, target.Session.Date, now, Alternatives + 1, ct);
            offers.Remember(area, procedureCode, target.Session.Date, found, Alternatives + 1);
            near = [.. found.Where(s => s.Session.Id != target.Session.Id).Take(Alternatives)];
        }

        var alternatives = new OpenSessions();
        alternatives.Slots.AddRange(near.Select(SlotMessages.ToMessage));
        gate.RememberFull(target, procedureCode, alternatives);
        return BookingErrors.Full(target.Session.Id, target.Label, alternatives);
    }
}
