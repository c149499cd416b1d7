namespace GrpcDvc.Server.Calendar;

/// <summary>
/// Which dates are worked, for the years it was given: Monday–Friday unless a holiday, and a
/// Saturday or Sunday only when declared a working day. Built from the stored calendar (or the
/// generated one for a year nobody fixed); asking about a year it was not given is a bug, not a guess.
/// </summary>
public sealed class WorkingCalendar
{
    private readonly Dictionary<DateOnly, CalendarDay> _days;
    private readonly HashSet<int> _years;

    public WorkingCalendar(IEnumerable<int> years, IEnumerable<CalendarDay> days)
    {
        _years = [.. years];
        _days = days.ToDictionary(d => d.Date);
    }

    public IReadOnlyCollection<int> Years => _years;

    public CalendarDay? Entry(DateOnly date)
    {
        Covered(date);
        return _days.GetValueOrDefault(date);
    }

    public bool IsHoliday(DateOnly date) => Entry(date)?.Kind == DayKind.Holiday;

    /// <summary>A declared working day: a rest day worked (làm bù), which follows the full weekday hours.</summary>
    public bool IsDeclaredWorkingDay(DateOnly date) => Entry(date)?.Kind == DayKind.WorkingDay;

    /// <summary>A working day in the legal sense: Monday–Friday or declared, and not a holiday.</summary>
    public bool IsWorkingDay(DateOnly date)
        => !IsHoliday(date) && (!HolidayGenerator.IsWeeklyRest(date) || IsDeclaredWorkingDay(date));

    private void Covered(DateOnly date)
    {
        if (!_years.Contains(date.Year))
        {
            throw new ArgumentOutOfRangeException(nameof(date), date, $"The working calendar was loaded for {string.Join(", ", _years.Order())}, not {date.Year}.");
        }
    }
}
