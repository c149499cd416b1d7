using System.Text.Json;
using GrpcDvc.Server.Appointments.Slots;
using GrpcDvc.Server.Notifications;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Appointments.Stations;

/// <summary>
/// Moves citizens out of a session the station closed or shrank, inside the caller's transaction: each held or
/// confirmed appointment becomes cancelled_by_station (with the station's note and the sessions offered instead), leaves its
/// active_procedure (so the citizen may book again), frees its place, gets an appointment_changes row, and its
/// citizen an SMS in the notification outbox naming the offered sessions. The status change is conditional on the
/// appointment still being active, so one the citizen cancelled meanwhile is neither freed twice nor messaged.
/// </summary>
public sealed class StationMoveOut(DvcDbContext db)
{
    public const string NotificationKind = "appointment_moved";

    /// <summary>Sessions offered to each citizen moved out.</summary>
    public const int OfferedSessions = 3;

    /// <summary>
    /// The appointments a station may move out: held and confirmed. A citizen already checked in is at the station
    /// being served; closing the session does not send them away.
    /// </summary>
    public static IReadOnlyList<string> Movable { get; } = [AppointmentStatuses.Held, AppointmentStatuses.Confirmed];

    private readonly Dictionary<string, IReadOnlyList<OpenSlot>> _offers = new(StringComparer.Ordinal);

    /// <summary>Moves out every held or confirmed appointment of the session; how many.</summary>
    public async Task<int> AllAsync(StationRecord station, StationSessionRecord session, string note, Guid actor, DateTimeOffset now, CancellationToken cancellationToken)
        => await MoveAsync(station, session, await Active(session.Id).OrderBy(a => a.BookedAt).ToListAsync(cancellationToken), note, actor, now, cancellationToken);

    /// <summary>Moves out the <paramref name="count"/> latest-booked held or confirmed appointments of the session; how many.</summary>
    public async Task<int> LatestAsync(StationRecord station, StationSessionRecord session, int count, string note, Guid actor, DateTimeOffset now, CancellationToken cancellationToken)
        => await MoveAsync(station, session,
            await Active(session.Id).OrderByDescending(a => a.BookedAt).ThenByDescending(a => a.Id).Take(count).ToListAsync(cancellationToken),
            note, actor, now, cancellationToken);

    private IQueryable<AppointmentRecord> Active(long sessionId)
        => db.Set<AppointmentRecord>().AsNoTracking().Where(a => a.SessionId == sessionId && Movable.Contains(a.Status));

    private async Task<int> MoveAsync(StationRecord station, StationSessionRecord session, List<AppointmentRecord> appointments, string note,
        Guid actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var moved = 0;
        foreach (var appointment in appointments)
        {
            var offered = await OffersAsync(station, session, appointment.ProcedureCode, now, cancellationToken);
            var offeredIds = JsonSerializer.Serialize(offered.Select(o => o.Session.Id));
            var movable = Movable;
            var changed = await db.Set<AppointmentRecord>()
                .Where(a => a.Id == appointment.Id && movable.Contains(a.Status))
                .ExecuteUpdateAsync(u => u
                    .SetProperty(a => a.Status, AppointmentStatuses.CancelledByStation)
                    .SetProperty(a => a.ActiveProcedure, (string?)null)
                    .SetProperty(a => a.EndedAt, now)
                    .SetProperty(a => a.StationNote, note)
                    .SetProperty(a => a.Offered, offeredIds)
                    .SetProperty(a => a.Version, a => a.Version + 1), cancellationToken);
            if (changed == 0)
            {
                continue;
            }

            await db.Set<StationSessionRecord>().Where(s => s.Id == session.Id && s.Booked > 0)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.Booked, s => s.Booked - 1), cancellationToken);
            db.Set<AppointmentChangeRecord>().Add(new AppointmentChangeRecord
            {
                AppointmentId = appointment.Id, ActorId = actor, RequestId = null, Kind = AppointmentChangeKinds.CancelByStation,
                FromSessionId = session.Id, At = now,
            });
            NotificationOutbox.Enqueue(db, appointment.AccountId, NotificationKind, Sms(station, session, note, offered), now);
            moved++;
        }

        return moved;
    }

    /// <summary>The next open sessions at the station, else around it (its commune and unit), for a procedure; asked once per procedure and call.</summary>
    private async Task<IReadOnlyList<OpenSlot>> OffersAsync(StationRecord station, StationSessionRecord session, string procedureCode, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_offers.TryGetValue(procedureCode, out var known))
        {
            return known;
        }

        var offers = await OpenSlotQuery.FindAsync(db, SlotArea.Station(station.Id), procedureCode, session.Date, now, OfferedSessions, cancellationToken, session.Id);
        if (offers.Count == 0)
        {
            offers = await OpenSlotQuery.FindAsync(db, SlotArea.Units([station.CommuneUnitId, station.UnitId]), procedureCode, session.Date, now,
                OfferedSessions, cancellationToken, session.Id);
        }

        _offers[procedureCode] = offers;
        return offers;
    }

    /// <summary>The SMS: which appointment the station cancelled, why, and where to book instead.</summary>
    public static string Sms(StationRecord station, StationSessionRecord session, string note, IReadOnlyList<OpenSlot> offered)
    {
        var text = $"{station.Name} hủy lịch hẹn buổi {StationMessages.SessionName(session.Date, session.Part)} của ông/bà";
        text += note.Length > 0 ? $" ({note})." : ".";
        if (offered.Count == 0)
        {
            return text + " Mời đặt lịch ngày khác trên Cổng dịch vụ công.";
        }

        var names = offered.Select(o => o.Station.Id == station.Id
            ? $"buổi {StationMessages.SessionName(o.Session.Date, o.Session.Part)}"
            : $"buổi {StationMessages.SessionName(o.Session.Date, o.Session.Part)} tại {o.Station.Name}");
        return text + $" Các buổi còn chỗ: {string.Join("; ", names)}. Mời đặt lại trên Cổng dịch vụ công.";
    }
}
