using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace GrpcDvc.Server.Appointments.Booking;

/// <summary>What <see cref="SessionPlaces.LookAndHoldAsync"/> read, and the places taken after its hold (null when it took none).</summary>
public sealed record LookedAndHeld(SessionLook? Look, int? BookedAfter);

public sealed partial class SessionPlaces
{
    /// <summary>Whether bookings may read and hold in one statement (<see cref="LookAndHoldAsync"/>): PostgreSQL only.</summary>
    public bool LooksAndHoldsAtOnce => db.Database.IsNpgsql();

    /// <summary>
    /// PostgreSQL, a booking that leads its session's line (<see cref="SessionHoldLines.TryLead"/>): the read of
    /// <see cref="LookAsync"/> and the hold of <see cref="HoldAsync"/> as one statement committing by itself, one
    /// round trip where the two took two. The procedure is checked first, from the catalog's cache (unknown or
    /// not booked at stations: its refusal, nothing sent). The hold runs only when the read finds the station
    /// taking bookings and the procedure, and no earlier appointment of the request id; its
    /// conditional update is the same as a hold's (a place or nothing), and a unique violation aborts the whole
    /// statement, update included. The row answered is the read's, as it was before the hold: when no place was
    /// taken, it tells why (the refusals of <see cref="CheckedAsync"/> and <see cref="RefusalAsync"/>). The
    /// appointment's session, station and name come from the read; <paramref name="row"/> gets them.
    /// </summary>
    public async Task<LookedAndHeld> LookAndHoldAsync(
        string stationId, DateOnly date, int part, string procedureCode, AppointmentRecord row, DateTimeOffset now, CancellationToken ct)
    {
        await BookableAsync(procedureCode, ct);
        var at = now.ToUnixTimeMilliseconds();
        FormattableString sql = $"""
            WITH look AS (
                SELECT s.id, s.station_id, s.date, s.part, s.starts_at, s.ends_at, s.opens_at, s.capacity, s.booked, s.closed, s.settled_at,
                       st.name, st.kind, st.unit_id, st.unit_code, st.commune_unit_id, st.commune_code, st.address, st.booking_window_days,
                       st.release_minute, st.visit_from, st.visit_to, st.accepting, st.version, st.create_request_id, st.created_at, st.updated_at,
                       EXISTS (SELECT 1 FROM station_procedures p WHERE p.station_id = st.id AND p.procedure_code = {procedureCode}) AS takes,
                       (SELECT a.id FROM appointments a WHERE a.account_id = {row.AccountId} AND a.request_id = {row.RequestId} LIMIT 1) AS earlier_id,
                       COALESCE((SELECT c.full_name FROM citizen_accounts c WHERE c.id = {row.AccountId} LIMIT 1),
                                (SELECT r.full_name FROM citizens r WHERE r.id_number = {row.IdNumber} LIMIT 1)) AS citizen_name
                  FROM station_sessions s JOIN stations st ON st.id = s.station_id
                 WHERE s.station_id = {stationId} AND s.date = {date} AND s.part = {part}),
            taken AS (
                UPDATE station_sessions s SET booked = s.booked + 1
                  FROM look
                 WHERE s.id = look.id AND look.takes AND look.accepting AND look.earlier_id IS NULL
                   AND s.booked < s.capacity AND NOT s.closed AND s.opens_at <= {at} AND s.starts_at > {at}
                RETURNING s.id, s.booked),
            held AS (
                INSERT INTO appointments (id, account_id, id_number, full_name, procedure_code, station_id, session_id, status,
                                          active_procedure, request_id, hold_expires_at, booked_at, version)
                SELECT {row.Id}, {row.AccountId}, {row.IdNumber}, COALESCE(look.citizen_name, ''), {row.ProcedureCode}, look.station_id, taken.id,
                       {row.Status}, {row.ActiveProcedure}, {row.RequestId}, {row.HoldExpiresAt?.ToUnixTimeMilliseconds()},
                       {row.BookedAt.ToUnixTimeMilliseconds()}, {row.Version}
                  FROM taken CROSS JOIN look)
            -- held runs though nothing reads it: PostgreSQL runs every data-modifying WITH to completion.
            SELECT look.*, (SELECT t.booked FROM taken t) AS booked_after
              FROM look
            """;

        // EF Core's raw command, not a DbCommand of our own: the statement passes the context's interceptors and
        // diagnostics like every other, and the reader closes the connection it opened.
        var command = db.GetService<IRawSqlCommandBuilder>().Build(sql.Format, sql.GetArguments()!, db.Model);
        await using var reader = await command.RelationalCommand.ExecuteReaderAsync(
            new RelationalCommandParameterObject(db.GetService<IRelationalConnection>(), command.ParameterValues, null, db,
                db.GetService<IRelationalCommandDiagnosticsLogger>(), CommandSource.FromSqlQuery), ct);
        var read = reader.DbDataReader;
        if (!await read.ReadAsync(ct))
        {
            return new LookedAndHeld(null, null);
        }

        var look = ReadLook(read);
        var bookedAfter = read.IsDBNull(30) ? (int?)null : read.GetInt32(30);
        if (bookedAfter is not null)
        {
            row.FullName = look.CitizenName ?? "";
            row.StationId = look.Station.Id;
            row.SessionId = look.Session.Id;
        }

        return new LookedAndHeld(look, bookedAfter);
    }

    /// <summary>The read's columns, in the order the statement selects them.</summary>
    private static SessionLook ReadLook(DbDataReader read) => new()
    {
        Session = new StationSessionRecord
        {
            Id = read.GetInt64(0),
            StationId = read.GetString(1),
            Date = read.GetFieldValue<DateOnly>(2),
            Part = read.GetInt32(3),
            StartsAt = Instant(read, 4)!.Value,
            EndsAt = Instant(read, 5)!.Value,
            OpensAt = Instant(read, 6)!.Value,
            Capacity = read.GetInt32(7),
            Booked = read.GetInt32(8),
            Closed = read.GetBoolean(9),
            SettledAt = Instant(read, 10),
        },
        Station = new StationRecord
        {
            Id = read.GetString(1),
            Name = read.GetString(11),
            Kind = read.GetString(12),
            UnitId = read.GetInt32(13),
            UnitCode = read.GetString(14),
            CommuneUnitId = read.GetInt32(15),
            CommuneCode = read.GetString(16),
            Address = read.GetString(17),
            BookingWindowDays = read.GetInt32(18),
            ReleaseMinute = read.GetInt32(19),
            VisitFrom = read.IsDBNull(20) ? null : read.GetFieldValue<DateOnly>(20),
            VisitTo = read.IsDBNull(21) ? null : read.GetFieldValue<DateOnly>(21),
            Accepting = read.GetBoolean(22),
            Version = read.GetInt64(23),
            CreateRequestId = read.GetString(24),
            CreatedAt = Instant(read, 25)!.Value,
            UpdatedAt = Instant(read, 26)!.Value,
        },
        Takes = read.GetBoolean(27),
        // Checked from the catalog before the statement ran.
        Bookable = true,
        EarlierAppointmentId = read.IsDBNull(28) ? null : read.GetGuid(28),
        CitizenName = read.IsDBNull(29) ? null : read.GetString(29),
    };

    /// <summary>An instant column (UTC milliseconds, see InstantConverter), or null.</summary>
    private static DateTimeOffset? Instant(DbDataReader read, int ordinal)
        => read.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(read.GetInt64(ordinal));
}
