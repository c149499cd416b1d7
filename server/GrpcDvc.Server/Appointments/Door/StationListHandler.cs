using System.Globalization;
using Grpc.Core;
using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Listing;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Appointments.Door;

/// <summary>
/// ListStationAppointments: the officers' list of one day at one station, session by session (morning, afternoon,
/// evening), each session in booking order. It lists the people the station expects or saw — confirmed, checked in,
/// collected, no-show — not holds still being filled in nor cancelled or expired ones. One day at one station is
/// bounded by its sessions' capacity (hundreds), so the day is read whole and paged by a keyset over
/// (session, booked at, id) that does not shift when a check-in changes a row's status.
/// </summary>
public sealed class StationListHandler(DvcDbContext db, DoorReads reads, DoorReadLog readLog)
{
    private static readonly string[] Listed =
        [AppointmentStatuses.Confirmed, AppointmentStatuses.CheckedIn, AppointmentStatuses.Collected, AppointmentStatuses.NoShow];

    public async Task<ListStationAppointmentsResponse> ListAsync(ListStationAppointmentsRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        var stationId = DoorInput.StationId(request.StationId, violations);
        DateOnly date = default;
        if (request.Date is null)
        {
            violations.Add(new FieldViolation("date", "Required: the day to list.", "REQUIRED"));
        }
        else if (!DateOnly.TryParseExact($"{request.Date.Year:D4}-{request.Date.Month:D2}-{request.Date.Day:D2}", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            violations.Add(new FieldViolation("date", "Not a calendar date.", "INVALID"));
        }

        if (!Enum.IsDefined(request.Part))
        {
            violations.Add(new FieldViolation("part", "Unknown session part.", "INVALID"));
        }

        PageSize.Check(violations, request.Page?.PageSize ?? 0);

        var fingerprint = $"{stationId}|{date:yyyy-MM-dd}|{(int)request.Part}";
        string? after = null;
        if (request.Page is { PageToken.Length: > 0 } page)
        {
            after = PageToken.TryRead(page.PageToken, fingerprint);
            if (after is null)
            {
                violations.Add(new FieldViolation("page.page_token", "Not a token of this listing (station, date and part must stay the same).", "INVALID"));
            }
        }

        DoorInput.ThrowIfAny(violations, "ListStationAppointments");
        var cancellationToken = context.CancellationToken;
        var station = await reads.StationAsync(stationId, context);
        var part = (int)request.Part;
        var sessions = await db.Set<StationSessionRecord>().AsNoTracking()
            .Where(s => s.StationId == station.Id && s.Date == date && (part == 0 || s.Part == part))
            .ToDictionaryAsync(s => s.Id, cancellationToken);
        var ids = sessions.Keys.ToList();
        var day = (await db.Set<AppointmentRecord>().AsNoTracking()
                .Where(a => ids.Contains(a.SessionId) && Listed.Contains(a.Status))
                .ToListAsync(cancellationToken))
            .Select(a => (Key: Key(sessions[a.SessionId].Part, a), Appointment: a))
            .OrderBy(r => r.Key, StringComparer.Ordinal)
            .ToList();
        var size = PageSize.Clamp(request.Page?.PageSize ?? 0);
        var rest = after is null ? day : day.Where(r => string.CompareOrdinal(r.Key, after) > 0).ToList();
        var response = new ListStationAppointmentsResponse { Page = new Contracts.Common.V1.PageInfo { TotalSize = day.Count } };
        var shown = rest.Take(size).Select(r => r.Appointment).ToList();
        await readLog.WriteAsync(context.GetCaller(), shown, context.Method, cancellationToken);
        response.Appointments.AddRange(shown.Select(a => AppointmentMessages.ToMessage(a, sessions[a.SessionId], station)));
        if (rest.Count > size)
        {
            response.Page.NextPageToken = PageToken.Create(rest[size - 1].Key, fingerprint);
        }

        return response;
    }

    // Sorts as (part, booked at, id): fixed widths, so ordinal order is the tuple's order.
    private static string Key(int part, AppointmentRecord a)
        => $"{part:D1}:{a.BookedAt.ToUnixTimeMilliseconds():D15}:{a.Id:N}";
}
