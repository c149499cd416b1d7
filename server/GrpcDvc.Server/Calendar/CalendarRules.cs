using GrpcDvc.Server.Calendar.Lunar;

namespace GrpcDvc.Server.Calendar;

/// <summary>The holiday rules of the data file with the lunar calendar they need: what a year without an announcement gets.</summary>
public sealed class CalendarRules(IReadOnlyList<HolidayRule> rules)
{
    public IReadOnlyList<HolidayRule> Rules => rules;

    public IReadOnlyList<CalendarDay> DefaultsFor(int year) => HolidayGenerator.Generate(year, rules, VietnameseLunarCalendar.Vietnam);
}
