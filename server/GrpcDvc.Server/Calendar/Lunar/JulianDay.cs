namespace GrpcDvc.Server.Calendar.Lunar;

/// <summary>
/// Julian day numbers: the astronomers' continuous day count, which the lunar calendar computes in.
/// A day number names a civil day (noon to noon in astronomy's convention, here simply "the day");
/// a Julian date is an instant in days (x.5 is midnight UT).
/// </summary>
public static class JulianDay
{
    /// <summary>The Julian day number of a Gregorian date (DateOnly's day count is from 1 January 0001).</summary>
    public static int Of(DateOnly date) => date.DayNumber + 1721426;

    public static DateOnly ToDate(int julianDay) => DateOnly.FromDayNumber(julianDay - 1721426);

    /// <summary>The Julian date (UT) at which the local civil day <paramref name="julianDay"/> begins, for a zone <paramref name="offsetHours"/> east of Greenwich.</summary>
    public static double LocalMidnight(int julianDay, double offsetHours) => julianDay - 0.5 - (offsetHours / 24);

    /// <summary>The local civil day (Julian day number) that contains the instant <paramref name="julianDate"/> (UT).</summary>
    public static int LocalDay(double julianDate, double offsetHours) => (int)Math.Floor(julianDate + 0.5 + (offsetHours / 24));
}
