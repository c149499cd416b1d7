using System.Globalization;
using Grpc.Core;
using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Appointments.Slots;
using GrpcDvc.Server.Calendar;
using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Listing;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Appointments.Booking;

/// <summary>FindOpenSlots, ListMyAppointments and GetAppointment: reads, no place is ever taken here.</summary>
public sealed class AppointmentQueries(DvcDbContext db, SessionPlaces places, IAgencyScope scope, Door.DoorReadLog readLog, TimeProvider time)
{
    public async Task<FindOpenSlotsResponse> FindOpenSlotsAsync(FindOpenSlotsRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var violations = new List<FieldViolation>();
        var procedureCode = BookingRules.Code(violations, "procedure_code", request.ProcedureCode);
        var from = BookingRules.Date(violations, "from_date", request.FromDate, required: false);
        string? stationId = null, areaCode = null;
        switch (request.WhereCase)
        {
            case FindOpenSlotsRequest.WhereOneofCase.StationId:
                stationId = BookingRules.Code(violations, "station_id", request.StationId);
                break;
            case FindOpenSlotsRequest.WhereOneofCase.AreaCode:
                areaCode = BookingRules.Code(violations, "area_code", request.AreaCode);
                break;
            default:
                violations.Add(new FieldViolation("where", "Give a station_id or an area_code.", "REQUIRED"));
                break;
        }

        if (request.MaxResults < 0)
        {
            violations.Add(new FieldViolation("max_results", "Not negative.", "MAX_RESULTS_INVALID"));
        }

        BookingRules.ThrowIfAny(violations, "The search is invalid.");
        var procedure = await places.BookableAsync(procedureCode!, ct);
        SlotArea area;
        if (stationId is not null)
        {
            area = SlotArea.Station(stationId);
        }
        else
        {
            var covered = await scope.CoveredUnitIdsAsync(areaCode!, ct);
            if (covered is { Count: 0 })
            {
                throw RpcErrors.NotFound("unit", areaCode!, $"No administrative unit has the code {areaCode}.");
            }

            area = SlotArea.Units(covered);
        }

        var now = AppointmentBooking.Now(time);
        var slots = await OpenSlotQuery.FindAsync(db, area, procedure.Code, from ?? VietnamTime.DateOf(now), now, request.MaxResults, ct);
        var response = new FindOpenSlotsResponse();
        response.Slots.AddRange(slots.Select(SlotMessages.ToMessage));
        return response;
    }

    public async Task<ListMyAppointmentsResponse> ListMineAsync(ListMyAppointmentsRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var caller = AppointmentBooking.Citizen(context);
        var accountId = caller.AccountId;
        var violations = new List<FieldViolation>();
        PageSize.Check(violations, request.Page?.PageSize ?? 0);
        if (violations.Count > 0)
        {
            throw RpcErrors.InvalidArgument("The page is invalid.", [.. violations]);
        }

        var size = PageSize.Clamp(request.Page?.PageSize ?? 0);
        var fingerprint = $"appointments-of:{accountId}";
        var mine = db.Set<AppointmentRecord>().AsNoTracking().Where(a => a.AccountId == accountId);
        var page = mine;
        if (request.Page?.PageToken is { Length: > 0 } token)
        {
            var after = PageToken.TryRead(token, fingerprint) is { } text && text.Split('_') is [var ms, var id]
                && PageToken.TryReadInstant(ms, out var at) && Guid.TryParse(id, out var lastId)
                ? (At: at, Id: lastId)
                : throw RpcErrors.InvalidArgument("The page token is not one this listing gave.", new FieldViolation("page.page_token", "Use the next_page_token of the previous page.", "INVALID_PAGE_TOKEN"));
            page = page.Where(a => a.BookedAt < after.At || (a.BookedAt == after.At && a.Id.CompareTo(after.Id) < 0));
        }

        var rows = await page.OrderByDescending(a => a.BookedAt).ThenByDescending(a => a.Id).Take(size + 1).ToListAsync(ct);
        var response = new ListMyAppointmentsResponse { Page = new Contracts.Common.V1.PageInfo { TotalSize = await mine.CountAsync(ct) } };
        foreach (var row in rows.Take(size))
        {
            response.Appointments.Add(await AppointmentBooking.AnswerAsync(db, row, ct));
        }

        if (rows.Count > size)
        {
            var last = rows[size - 1];
            response.Page.NextPageToken = PageToken.Create(
                string.Create(CultureInfo.InvariantCulture, $"{last.BookedAt.ToUnixTimeMilliseconds()}_{last.Id}"), fingerprint);
        }

        return response;
    }

    public async Task<GetAppointmentResponse> GetAsync(GetAppointmentRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var violations = new List<FieldViolation>();
        var id = BookingRules.AppointmentId(violations, request.AppointmentId);
        BookingRules.ThrowIfAny(violations, "The request is invalid.");
        var caller = context.GetCaller();
        var row = await db.Set<AppointmentRecord>().AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
        // A citizen asking for another's appointment learns nothing about it: the same answer as none.
        if (row is null || (caller.Kind == AccountKind.Citizen && row.AccountId != caller.AccountId))
        {
            throw RpcErrors.NotFound("appointment", request.AppointmentId, "No such appointment.");
        }

        var appointment = await AppointmentBooking.AnswerAsync(db, row, ct);
        if (caller.Kind != AccountKind.Citizen)
        {
            var unitCode = await db.Set<StationRecord>().AsNoTracking().Where(s => s.Id == row.StationId).Select(s => s.UnitCode).FirstAsync(ct);
            await context.EnsureWithinAgencyAsync(scope, [unitCode]);
            // The answer names the applicant (ID number and name): an official's read of it is logged like the door's.
            await readLog.WriteAsync(caller, [row], context.Method, ct);
        }

        return new GetAppointmentResponse { Appointment = appointment };
    }
}
