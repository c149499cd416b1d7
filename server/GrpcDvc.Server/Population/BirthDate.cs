using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace GrpcDvc.Server.Population;

/// <summary>How much of a birth date a record knows. Old records often hold only the year.</summary>
public enum BirthDatePrecision
{
    Full = 1,
    MonthYear = 2,
    YearOnly = 3,
}

/// <summary>
/// A birth date that may be partial (year only, or month and year), as real civil records are.
/// Text form is ISO-like: "1985-03-07", "1985-03" or "1985".
/// </summary>
public readonly record struct BirthDate
{
    public const int MinYear = 1800;
    public const int MaxYear = 2399;

    private BirthDate(int year, int? month, int? day)
    {
        Year = year;
        Month = month;
        Day = day;
    }

    public int Year { get; }

    public int? Month { get; }

    public int? Day { get; }

    public BirthDatePrecision Precision => Day is not null ? BirthDatePrecision.Full
        : Month is not null ? BirthDatePrecision.MonthYear
        : BirthDatePrecision.YearOnly;

    /// <summary>The first day the date can stand for: 1985 → 1985-01-01, 1985-03 → 1985-03-01.</summary>
    public DateOnly EarliestDay => new(Year, Month ?? 1, Day ?? 1);

    /// <summary>The last day the date can stand for: 1985 → 1985-12-31, 1985-02 → 1985-02-28.</summary>
    public DateOnly LatestDay => Day is { } d ? new(Year, Month!.Value, d)
        : Month is { } m ? new(Year, m, DateTime.DaysInMonth(Year, m))
        : new(Year, 12, 31);

    public static BirthDate Full(int year, int month, int day) => Create(year, month, day);

    public static BirthDate MonthYear(int year, int month) => Create(year, month, null);

    public static BirthDate YearOnly(int year) => Create(year, null, null);

    public static BirthDate FromDate(DateOnly date) => Create(date.Year, date.Month, date.Day);

    /// <summary>Builds a birth date from stored parts; a day without a month is not a date.</summary>
    public static BirthDate Create(int year, int? month, int? day)
        => TryCreate(year, month, day, out var date, out var error) ? date : throw new ArgumentOutOfRangeException(nameof(year), error);

    public static bool TryCreate(int year, int? month, int? day, out BirthDate date, [NotNullWhen(false)] out string? error)
    {
        date = default;
        error = year is < MinYear or > MaxYear ? $"The year must be between {MinYear} and {MaxYear}."
            : month is < 1 or > 12 ? "The month must be between 1 and 12."
            : day is not null && month is null ? "A day needs a month."
            : day is { } d && (d < 1 || d > DateTime.DaysInMonth(year, month!.Value)) ? $"{year:D4}-{month:D2} has no day {d}."
            : null;
        if (error is not null)
        {
            return false;
        }

        date = new BirthDate(year, month, day);
        return true;
    }

    public static BirthDate Parse(string text)
        => TryParse(text, out var date, out var error) ? date : throw new FormatException(error);

    /// <summary>Reads "yyyy", "yyyy-MM" or "yyyy-MM-dd" (digits exactly so, no spaces).</summary>
    public static bool TryParse(string? text, out BirthDate date, [NotNullWhen(false)] out string? error)
    {
        date = default;
        if (text is null || text.Length is not (4 or 7 or 10)
            || (text.Length >= 7 && text[4] != '-') || (text.Length == 10 && text[7] != '-'))
        {
            error = $"'{text}' is not a birth date; write yyyy-MM-dd, yyyy-MM or yyyy.";
            return false;
        }

        if (!TryDigits(text.AsSpan(0, 4), out var year)
            || (text.Length >= 7 && !TryDigits(text.AsSpan(5, 2), out _))
            || (text.Length == 10 && !TryDigits(text.AsSpan(8, 2), out _)))
        {
            error = $"'{text}' is not a birth date; write yyyy-MM-dd, yyyy-MM or yyyy.";
            return false;
        }

        int? month = text.Length >= 7 ? int.Parse(text.AsSpan(5, 2), CultureInfo.InvariantCulture) : null;
        int? day = text.Length == 10 ? int.Parse(text.AsSpan(8, 2), CultureInfo.InvariantCulture) : null;
        return TryCreate(year, month, day, out date, out error);
    }

    /// <summary>True when the given day is one this date can stand for.</summary>
    public bool Covers(DateOnly day) => day >= EarliestDay && day <= LatestDay;

    /// <summary>Whole years of age on the given day, counted from the earliest day the date can stand for.</summary>
    public int AgeOn(DateOnly day)
    {
        var born = EarliestDay;
        var age = day.Year - born.Year;
        return day < born.AddYears(age) ? age - 1 : age;
    }

    public override string ToString() => Precision switch
    {
        BirthDatePrecision.Full => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}-{Day:D2}"),
        BirthDatePrecision.MonthYear => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}"),
        _ => Year.ToString("D4", CultureInfo.InvariantCulture),
    };

    private static bool TryDigits(ReadOnlySpan<char> span, out int value)
    {
        value = 0;
        foreach (var c in span)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
