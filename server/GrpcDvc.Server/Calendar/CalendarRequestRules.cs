using GrpcDvc.Contracts.Calendar.V1;
using GrpcDvc.Server.Calendar.Lunar;
using GrpcDvc.Server.Errors;
using ProtoDate = GrpcDvc.Contracts.Common.V1.Date;
using ProtoDayKind = GrpcDvc.Contracts.Calendar.V1.DayKind;

namespace GrpcDvc.Server.Calendar;

/// <summary>What a calendar request must hold before anything is computed: each rule broken is one field violation.</summary>
public static class CalendarRequestRules
{
    /// <summary>The longest time limit ComputeDueDate takes, so the counting stays within the years it loads.</summary>
    public const double MaxWorkingDays = 250;

    public const double MaxWorkingHours = 2000;

    /// <summary>Clock stops one request may give: a dossier waits for a citizen a few times, not thousands.</summary>
    public const int MaxClockStops = 50;

    public static DateOnly? Date(ProtoDate? date, string field, List<FieldViolation> violations)
    {
        if (date is null)
        {
            violations.Add(new FieldViolation(field, "Required.", "REQUIRED"));
            return null;
        }

        if (date.Year is < VietnameseLunarCalendar.MinYear or > VietnameseLunarCalendar.MaxYear
            || date.Month is < 1 or > 12 || date.Day < 1 || date.Day > DateTime.DaysInMonth(date.Year, date.Month))
        {
            violations.Add(new FieldViolation(field, $"Not a date between {VietnameseLunarCalendar.MinYear} and {VietnameseLunarCalendar.MaxYear}.", "INVALID_DATE"));
            return null;
        }

        return new DateOnly(date.Year, date.Month, date.Day);
    }

    public static void Year(int year, List<FieldViolation> violations)
    {
        if (year is < VietnameseLunarCalendar.MinYear or > VietnameseLunarCalendar.MaxYear)
        {
            violations.Add(new FieldViolation("year", $"Must be between {VietnameseLunarCalendar.MinYear} and {VietnameseLunarCalendar.MaxYear}.", "OUT_OF_RANGE"));
        }
    }

    public static CalendarDay? Entry(SetHolidayRequest request, List<FieldViolation> violations)
    {
        var date = Date(request.Date, "date", violations);
        if (request.Kind is not (ProtoDayKind.Holiday or ProtoDayKind.WorkingDay))
        {
            violations.Add(new FieldViolation("kind", "DAY_KIND_HOLIDAY or DAY_KIND_WORKING_DAY.", "REQUIRED"));
        }

        var nameVi = Text(request.Name?.Vi, "name.vi", 200, violations);
        var nameEn = Text(request.Name?.En, "name.en", 200, violations);
        var source = Text(request.Source, "source", 500, violations);
        if (date is { } d && request.Kind == ProtoDayKind.WorkingDay && !HolidayGenerator.IsWeeklyRest(d))
        {
            violations.Add(new FieldViolation("kind", $"{d:yyyy-MM-dd} is a {d.DayOfWeek}, already a working day; only a Saturday or Sunday can be declared one.", "NOT_A_REST_DAY"));
        }

        return violations.Count == 0 ? new CalendarDay(date!.Value, request.Kind == ProtoDayKind.WorkingDay ? DayKind.WorkingDay : DayKind.Holiday, nameVi!, nameEn!, source!) : null;
    }

    public static ScheduleKind? Schedule(Schedule schedule, List<FieldViolation> violations)
    {
        switch (schedule)
        {
            case Contracts.Calendar.V1.Schedule.Residence:
                return ScheduleKind.Residence;
            case Contracts.Calendar.V1.Schedule.Identity:
                return ScheduleKind.Identity;
            default:
                violations.Add(new FieldViolation("schedule", "SCHEDULE_RESIDENCE or SCHEDULE_IDENTITY.", "REQUIRED"));
                return null;
        }
    }

    public static void Limit(ComputeDueDateRequest request, List<FieldViolation> violations)
    {
        switch (request.LimitCase)
        {
            case ComputeDueDateRequest.LimitOneofCase.WorkingDays:
                if (!(request.WorkingDays > 0 && request.WorkingDays <= MaxWorkingDays && Math.Abs((request.WorkingDays * 2) - Math.Round(request.WorkingDays * 2)) < 1e-9))
                {
                    violations.Add(new FieldViolation("working_days", $"A whole or half number of working days, more than 0 and at most {MaxWorkingDays}.", "OUT_OF_RANGE"));
                }

                break;
            case ComputeDueDateRequest.LimitOneofCase.WorkingHours:
                if (!(request.WorkingHours > 0 && request.WorkingHours <= MaxWorkingHours))
                {
                    violations.Add(new FieldViolation("working_hours", $"More than 0 and at most {MaxWorkingHours} hours.", "OUT_OF_RANGE"));
                }

                break;
            default:
                violations.Add(new FieldViolation("limit", "Give working_days or working_hours.", "REQUIRED"));
                break;
        }
    }

    private static string? Text(string? value, string field, int maxLength, List<FieldViolation> violations)
    {
        var trimmed = value?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            violations.Add(new FieldViolation(field, "Required.", "REQUIRED"));
            return null;
        }

        if (trimmed.Length > maxLength)
        {
            violations.Add(new FieldViolation(field, $"At most {maxLength} characters.", "TOO_LONG"));
            return null;
        }

        return trimmed;
    }
}
