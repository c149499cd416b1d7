using GrpcDvc.Server.Calendar.Lunar;

namespace GrpcDvc.Server.Calendar;

/// <summary>
/// The holidays the law gives a year when the government has announced nothing for it: each rule's
/// days, and for each one that falls on a weekly rest day (Saturday, Sunday) a day off in lieu on the
/// next working day (Labour Code 2019 art. 111(3)); the weekend days joined to them belong to the
/// break. The government usually fixes the actual blocks
/// each year (swapping days to join them to weekends); those announcements are stored as data and
/// replace what this generates for their year.
/// </summary>
public static class HolidayGenerator
{
    public const string GeneratedSource = "Bộ luật Lao động 2019, Điều 111–112 (generated; no announcement stored for the year)";

    public static IReadOnlyList<CalendarDay> Generate(int year, IReadOnlyList<HolidayRule> rules, VietnameseLunarCalendar lunar)
    {
        var days = new SortedDictionary<DateOnly, CalendarDay>();
        foreach (var rule in rules.Where(r => r.AppliesTo(year)))
        {
            var anchor = rule.Lunar ? lunar.ToGregorian(new LunarDate(year, rule.Month, rule.Day)) : new DateOnly(year, rule.Month, rule.Day);
            for (var i = 0; i < rule.Days; i++)
            {
                var date = anchor.AddDays(rule.Offset + i);
                days.TryAdd(date, new CalendarDay(date, DayKind.Holiday, rule.NameVi, rule.NameEn, rule.Source));
            }
        }

        foreach (var holiday in days.Values.Where(d => IsWeeklyRest(d.Date)).ToList())
        {
            var inLieu = holiday.Date.AddDays(1);
            while (IsWeeklyRest(inLieu) || days.ContainsKey(inLieu))
            {
                inLieu = inLieu.AddDays(1);
            }

            days.Add(inLieu, new CalendarDay(inLieu, DayKind.Holiday, $"Nghỉ bù {holiday.NameVi}", $"Day off in lieu of {holiday.NameEn}", GeneratedSource));
        }

        // A break is the whole run of days off: the weekend days joined to holidays are part of it, so an
        // office that opens on Saturday mornings stays closed through the break (as the yearly announcements read).
        foreach (var holiday in days.Values.ToList())
        {
            foreach (var step in (int[])[-1, 1])
            {
                for (var day = holiday.Date.AddDays(step); IsWeeklyRest(day) && !days.ContainsKey(day); day = day.AddDays(step))
                {
                    days.Add(day, new CalendarDay(day, DayKind.Holiday, $"Nghỉ hằng tuần trong kỳ nghỉ {holiday.NameVi}", $"Weekly rest within the {holiday.NameEn} break", GeneratedSource));
                }
            }
        }

        return [.. days.Values.Where(d => d.Date.Year == year)];
    }

    public static bool IsWeeklyRest(DateOnly date) => date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
}
