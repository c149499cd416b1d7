using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Server.Calendar;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Appointments.Stations;

/// <summary>
/// Per session of a date range: places and booked (the row's counters), and its appointments counted by status:
/// held, checked in (everyone who came: checked in or collected), collected, no-shows, cancelled (by the citizen or
/// by the station). Expired holds count nowhere: they never held a citizen's day.
/// </summary>
public sealed class StationUtilization(DvcDbContext db)
{
    public async Task<GetStationUtilizationResponse> ReadAsync(string stationId, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var sessions = await db.Set<StationSessionRecord>().AsNoTracking()
            .Where(s => s.StationId == stationId && s.Date >= from && s.Date <= to).OrderBy(s => s.Date).ThenBy(s => s.Part).ToListAsync(cancellationToken);
        var ids = sessions.Select(s => s.Id).ToList();
        var counts = (await db.Set<AppointmentRecord>().AsNoTracking().Where(a => ids.Contains(a.SessionId))
                .GroupBy(a => new { a.SessionId, a.Status }).Select(g => new { g.Key.SessionId, g.Key.Status, Count = g.Count() }).ToListAsync(cancellationToken))
            .ToLookup(c => c.SessionId);
        var total = new SessionUtilization();
        var answer = new GetStationUtilizationResponse();
        foreach (var session in sessions)
        {
            var byStatus = counts[session.Id].ToDictionary(c => c.Status, c => c.Count);
            int Count(params string[] statuses) => statuses.Sum(s => byStatus.GetValueOrDefault(s));
            var line = new SessionUtilization
            {
                Date = CalendarMapping.ToMessage(session.Date),
                Part = (SessionPart)session.Part,
                Capacity = session.Capacity,
                Booked = session.Booked,
                Held = Count(AppointmentStatuses.Held),
                CheckedIn = Count(AppointmentStatuses.CheckedIn, AppointmentStatuses.Collected),
                Collected = Count(AppointmentStatuses.Collected),
                NoShows = Count(AppointmentStatuses.NoShow),
                Cancelled = Count(AppointmentStatuses.Cancelled, AppointmentStatuses.CancelledByStation),
                Closed = session.Closed,
            };
            answer.Sessions.Add(line);
            total.Capacity += line.Capacity;
            total.Booked += line.Booked;
            total.Held += line.Held;
            total.CheckedIn += line.CheckedIn;
            total.Collected += line.Collected;
            total.NoShows += line.NoShows;
            total.Cancelled += line.Cancelled;
        }

        answer.Total = total;
        return answer;
    }
}
