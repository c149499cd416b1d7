namespace GrpcDvc.Server.Calendar.Lunar;

/// <summary>
/// The Vietnamese lunar calendar, computed as the State Calendar Committee defines it (rules as
/// Hồ Ngọc Đức sets them out, "Thuật toán tính âm lịch"): a month begins on the civil day that
/// holds the new moon; month 11 is the one holding the winter solstice; a span from one month 11
/// to the next with 13 months has a leap month, the first one in which the sun enters no new 30°
/// sector (no major solar term, trung khí); and every "day" is a civil day at the meridian of
/// UTC+7. The Chinese calendar follows the same rules at UTC+8, which is why Tết differs when a new
/// moon falls between 16:00 and 17:00 UT (1968, 1969, 1985, 2007; 2030, 2053), and why .NET's
/// ChineseLunisolarCalendar cannot serve. The offset is a parameter so the tests can compute the
/// UTC+8 calendar and hold it against .NET's.
/// </summary>
public sealed class VietnameseLunarCalendar(double offsetHours = VietnameseLunarCalendar.VietnamOffsetHours)
{
    public const double VietnamOffsetHours = 7;

    /// <summary>The range the conversions are checked for (1900–2199); outside it they refuse.</summary>
    public static readonly DateOnly MinDate = new(1900, 1, 1);

    public static readonly DateOnly MaxDate = new(2199, 12, 31);

    public const int MinYear = 1900;

    public const int MaxYear = 2199;

    public static VietnameseLunarCalendar Vietnam { get; } = new();

    public LunarDate FromGregorian(DateOnly date)
    {
        if (date < MinDate || date > MaxDate)
        {
            throw new ArgumentOutOfRangeException(nameof(date), date, $"The lunar calendar is computed for {MinDate:yyyy-MM-dd}…{MaxDate:yyyy-MM-dd}.");
        }

        // The span from the month 11 holding the solstice of December (y-1) to the one of December y,
        // or the following span when the date is already past this year's month 11.
        var span = SolsticeSpan(date.Year - 1);
        if (date >= span[^1].FirstDay.AddDays(span[^1].Length))
        {
            span = SolsticeSpan(date.Year);
        }

        var month = span.Last(m => m.FirstDay <= date);
        return new LunarDate(month.Year, month.Number, date.DayNumber - month.FirstDay.DayNumber + 1, month.IsLeap);
    }

    public DateOnly ToGregorian(LunarDate date)
        => TryToGregorian(date, out var result)
            ? result
            : throw new ArgumentOutOfRangeException(nameof(date), date, "No such lunar date (a leap month that year does not have, or a day past the month's end).");

    public bool TryToGregorian(LunarDate date, out DateOnly result)
    {
        result = default;
        if (date.Year is < MinYear or > MaxYear || date.Month is < 1 or > 12 || date.Day < 1)
        {
            return false;
        }

        // Months 11 and 12 open the span that starts in December of their own year; 1–10 close the previous span.
        var span = SolsticeSpan(date.Month >= 11 ? date.Year : date.Year - 1);
        foreach (var month in span)
        {
            if (month.Year == date.Year && month.Number == date.Month && month.IsLeap == date.IsLeapMonth && date.Day <= month.Length)
            {
                result = month.FirstDay.AddDays(date.Day - 1);
                return true;
            }
        }

        return false;
    }

    /// <summary>Tết Nguyên Đán: 1 Giêng of the lunar year that begins in Gregorian <paramref name="year"/>.</summary>
    public DateOnly NewYear(int year) => ToGregorian(new LunarDate(year, 1, 1));

    /// <summary>The leap month of lunar year <paramref name="year"/> (1–12), or null in a common year.</summary>
    public int? LeapMonth(int year)
    {
        foreach (var solstice in (int[])[year - 1, year])
        {
            foreach (var month in SolsticeSpan(solstice))
            {
                if (month.IsLeap && month.Year == year)
                {
                    return month.Number;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The 12 or 13 months from the month 11 that holds the winter solstice of December <paramref name="year"/>
    /// up to (not including) the next month 11, numbered 11, 12, 1, … with the leap month, if any, marked.
    /// </summary>
    public IReadOnlyList<LunarMonth> SolsticeSpan(int year)
    {
        var start = Month11Lunation(year);
        var end = Month11Lunation(year + 1);
        var count = end - start;
        var firstDays = new DateOnly[count + 1];
        for (var i = 0; i <= count; i++)
        {
            firstDays[i] = JulianDay.ToDate(MonthStart(start + i));
        }

        // A 13-month span has one leap month: the first after month 11 in which the sun enters no new sector.
        var leapIndex = -1;
        if (count == 13)
        {
            for (var i = 1; i < count && leapIndex < 0; i++)
            {
                if (SectorAtStart(firstDays[i]) == SectorAtStart(firstDays[i + 1]))
                {
                    leapIndex = i;
                }
            }
        }

        var months = new List<LunarMonth>(count);
        var number = 10;
        for (var i = 0; i < count; i++)
        {
            var isLeap = i == leapIndex;
            if (!isLeap)
            {
                number = number % 12 + 1;
            }

            // Months 11 and 12 before month 1 belong to the lunar year that began in `year`; from month 1 on, to the next.
            var lunarYear = number >= 11 && months.TrueForAll(m => m.Number is >= 11) ? year : year + 1;
            months.Add(new LunarMonth(lunarYear, number, isLeap, firstDays[i], firstDays[i + 1].DayNumber - firstDays[i].DayNumber));
        }

        return months;
    }

    /// <summary>The lunation whose month holds the winter solstice (sun at 270°) of December <paramref name="year"/>.</summary>
    private int Month11Lunation(int year)
    {
        // The new moon before 31 December is the start of month 11 or of month 12.
        var k = NewMoon.NearestLunation(JulianDay.Of(new DateOnly(year, 12, 31)));
        while (MonthStart(k) > JulianDay.Of(new DateOnly(year, 12, 31)))
        {
            k--;
        }

        // If the sun has already passed 270° when that month begins, the solstice fell in the month before.
        return SectorAtStart(JulianDay.ToDate(MonthStart(k))) >= 9 ? k - 1 : k;
    }

    /// <summary>The civil day (Julian day number) on which lunation k's month begins: the day holding the new moon.</summary>
    private int MonthStart(int k) => JulianDay.LocalDay(NewMoon.Instant(k), offsetHours);

    /// <summary>The sun's sector at the local midnight that opens <paramref name="day"/>.</summary>
    private int SectorAtStart(DateOnly day) => SunLongitude.Sector(JulianDay.LocalMidnight(JulianDay.Of(day), offsetHours));
}
