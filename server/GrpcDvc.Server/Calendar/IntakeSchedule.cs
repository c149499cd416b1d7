namespace GrpcDvc.Server.Calendar;

/// <summary>Which office hours a kind of procedure runs on.</summary>
public enum ScheduleKind
{
    /// <summary>Residence (cư trú): Monday–Friday morning and afternoon, and Saturday morning.</summary>
    Residence = 1,

    /// <summary>Identity cards (căn cước): Monday–Friday morning and afternoon.</summary>
    Identity = 2,
}

/// <summary>
/// The sessions an office works on each weekday. Sessions both receive dossiers and count toward
/// deadlines: a Saturday morning is half a working day for residence procedures (working days are
/// "Monday–Friday and Saturday morning" in the ministry's guidance for online residence services),
/// and a Saturday afternoon is nothing. A rest day declared a working day follows the weekday hours.
/// </summary>
public sealed class IntakeSchedule
{
    private readonly IReadOnlyList<WorkSession> _weekday;
    private readonly IReadOnlyList<WorkSession> _saturday;

    public IntakeSchedule(ScheduleKind kind, IReadOnlyList<WorkSession> weekday, IReadOnlyList<WorkSession> saturday)
    {
        Kind = kind;
        _weekday = weekday;
        _saturday = saturday;
    }

    public ScheduleKind Kind { get; }

    /// <summary>The length of a full working day (a weekday's sessions): what "one working day" of a deadline is worth.</summary>
    public int SessionsPerDay => _weekday.Count;

    public static IntakeSchedule For(ScheduleKind kind, CalendarOptions options)
    {
        var weekday = new[] { options.Morning.ToSession(), options.Afternoon.ToSession() };
        return kind switch
        {
            ScheduleKind.Residence => new IntakeSchedule(kind, weekday, [options.Morning.ToSession()]),
            ScheduleKind.Identity => new IntakeSchedule(kind, weekday, []),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown schedule."),
        };
    }

    /// <summary>The sessions worked on a date, given the calendar: none on a holiday or a Sunday.</summary>
    public IReadOnlyList<WorkSession> SessionsOn(DateOnly date, WorkingCalendar calendar)
    {
        if (calendar.IsHoliday(date))
        {
            return [];
        }

        if (calendar.IsDeclaredWorkingDay(date))
        {
            return _weekday;
        }

        return date.DayOfWeek switch
        {
            DayOfWeek.Sunday => [],
            DayOfWeek.Saturday => _saturday,
            _ => _weekday,
        };
    }
}
