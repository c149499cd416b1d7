using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using GrpcDvc.Contracts.Calendar.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Errors;

namespace GrpcDvc.Server.Calendar;

/// <summary>dvc.calendar.v1.CalendarService: checks the request, asks the store and the deadline rules, maps back.</summary>
public sealed partial class CalendarGrpcService(CalendarStore store, CalendarOptions options, AccessOptions access, TimeProvider time, ILogger<CalendarGrpcService> logger)
    : CalendarService.CalendarServiceBase
{
    public override async Task<ListHolidaysResponse> ListHolidays(ListHolidaysRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        CalendarRequestRules.Year(request.Year, violations);
        ThrowIfAny(violations);
        var year = await store.YearAsync(request.Year, context.CancellationToken);
        return new ListHolidaysResponse { Entries = { year.Days.Select(CalendarMapping.ToMessage) }, Fixed = year.Fixed, Source = year.Source };
    }

    public override async Task<GetWorkingDaysResponse> GetWorkingDays(GetWorkingDaysRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        var from = CalendarRequestRules.Date(request.From, "from", violations);
        var to = CalendarRequestRules.Date(request.To, "to", violations);
        if (from is { } f && to is { } t && (t < f || t.DayNumber - f.DayNumber + 1 > options.MaxRangeDays))
        {
            violations.Add(new FieldViolation("to", $"Must be on or after from, at most {options.MaxRangeDays} days in all.", "OUT_OF_RANGE"));
        }

        ThrowIfAny(violations);
        var calendar = await store.WorkingCalendarAsync(Enumerable.Range(from!.Value.Year, to!.Value.Year - from.Value.Year + 1), context.CancellationToken);
        var response = new GetWorkingDaysResponse();
        for (var day = from.Value; day <= to.Value; day = day.AddDays(1))
        {
            if (calendar.IsWorkingDay(day))
            {
                response.WorkingDays.Add(CalendarMapping.ToMessage(day));
            }
        }

        response.Count = response.WorkingDays.Count;
        return response;
    }

    public override async Task<ComputeDueDateResponse> ComputeDueDate(ComputeDueDateRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        var kind = CalendarRequestRules.Schedule(request.Schedule, violations);
        CalendarRequestRules.Limit(request, violations);
        var submittedAt = request.SubmittedAt?.ToDateTimeOffset() ?? time.GetUtcNow();
        var year = submittedAt.Year;
        if (year is < 1900 or > 2195)
        {
            violations.Add(new FieldViolation("submitted_at", "Must fall between 1900 and 2195.", "OUT_OF_RANGE"));
        }

        var stops = new List<ClockStop>();
        if (request.ClockStops.Count > CalendarRequestRules.MaxClockStops)
        {
            violations.Add(new FieldViolation("clock_stops", $"At most {CalendarRequestRules.MaxClockStops} clock stops.", "TOO_MANY"));
        }

        for (var i = 0; i < request.ClockStops.Count && i < CalendarRequestRules.MaxClockStops; i++)
        {
            var stop = request.ClockStops[i];
            if (stop.From is null || stop.Until is null || stop.Until.ToDateTimeOffset() <= stop.From.ToDateTimeOffset())
            {
                violations.Add(new FieldViolation($"clock_stops[{i}]", "Needs from and until, until after from.", "INVALID_INTERVAL"));
                continue;
            }

            stops.Add(new ClockStop(stop.From.ToDateTimeOffset(), stop.Until.ToDateTimeOffset()));
        }

        ThrowIfAny(violations);
        // The limits above keep any deadline within four calendar years of the submission, long clock stops aside.
        var calendar = await store.WorkingCalendarAsync(Enumerable.Range(year, 5), context.CancellationToken);
        var schedule = IntakeSchedule.For(kind!.Value, options);
        try
        {
            var received = Deadlines.ReceiptOf(submittedAt, schedule, calendar);
            var due = request.LimitCase == ComputeDueDateRequest.LimitOneofCase.WorkingDays
                ? Deadlines.DueAfterWorkingDays(received, (decimal)request.WorkingDays, schedule, calendar, stops)
                : Deadlines.DueAfterWorkingHours(received, TimeSpan.FromHours(request.WorkingHours), schedule, calendar, stops);
            return new ComputeDueDateResponse
            {
                ReceivedAt = Timestamp.FromDateTimeOffset(received),
                DueAt = Timestamp.FromDateTimeOffset(due),
                DueDate = CalendarMapping.ToMessage(VietnamTime.DateOf(due)),
            };
        }
        catch (ArgumentOutOfRangeException)
        {
            // The clock stops push the deadline past the years loaded.
            throw RpcErrors.InvalidArgument("The deadline falls too far ahead.", new FieldViolation("clock_stops", "The stops push the deadline more than four years ahead.", "OUT_OF_RANGE"));
        }
    }

    public override async Task<SetHolidayResponse> SetHoliday(SetHolidayRequest request, ServerCallContext context)
    {
        var administrator = NationalAdministrator(context);
        var violations = new List<FieldViolation>();
        var day = CalendarRequestRules.Entry(request, violations);
        ThrowIfAny(violations);
        var changed = await store.SetAsync(day!, administrator, context.CancellationToken);
        if (changed)
        {
            CalendarLog.Set(logger, day!.Date, day.Kind, administrator);
        }

        return new SetHolidayResponse { Entry = CalendarMapping.ToMessage(day!), Changed = changed };
    }

    public override async Task<RemoveHolidayResponse> RemoveHoliday(RemoveHolidayRequest request, ServerCallContext context)
    {
        var administrator = NationalAdministrator(context);
        var violations = new List<FieldViolation>();
        var date = CalendarRequestRules.Date(request.Date, "date", violations);
        ThrowIfAny(violations);
        var removed = await store.RemoveAsync(date!.Value, administrator, context.CancellationToken);
        if (removed)
        {
            CalendarLog.Removed(logger, date.Value, administrator);
        }

        return new RemoveHolidayResponse { Removed = removed };
    }

    /// <summary>The holiday calendar is national: only an administrator of a national unit changes it (the gate has checked the role).</summary>
    private Guid NationalAdministrator(ServerCallContext context)
    {
        var caller = context.GetCaller();
        if (caller.AgencyUnit is not { } unit || !access.EffectiveNationalUnits.Contains(unit, StringComparer.Ordinal))
        {
            throw AccessErrors.PermissionDenied(CalendarReasons.NationalAdministratorRequired, "Only an administrator of a national unit changes the national calendar.");
        }

        return caller.AccountId;
    }

    private static void ThrowIfAny(List<FieldViolation> violations)
    {
        if (violations.Count > 0)
        {
            throw RpcErrors.InvalidArgument("The calendar request is invalid.", [.. violations]);
        }
    }
}

public static class CalendarReasons
{
    public const string NationalAdministratorRequired = "NATIONAL_ADMINISTRATOR_REQUIRED";
}

internal static partial class CalendarLog
{
    [LoggerMessage(EventId = 900, Level = LogLevel.Information, Message = "Calendar: {Date} set as {Kind} by administrator {Administrator}.")]
    public static partial void Set(ILogger logger, DateOnly date, DayKind kind, Guid administrator);

    [LoggerMessage(EventId = 901, Level = LogLevel.Information, Message = "Calendar: {Date} made an ordinary day by administrator {Administrator}.")]
    public static partial void Removed(ILogger logger, DateOnly date, Guid administrator);
}
