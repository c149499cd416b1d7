namespace GrpcDvc.Server.Calendar.Lunar;

/// <summary>
/// A date of the Vietnamese lunar calendar (âm lịch). <paramref name="Year"/> is the Gregorian year in
/// which the lunar year's first day (Tết) falls; month 11 and 12 of it reach into the next Gregorian year.
/// </summary>
/// <param name="IsLeapMonth">The month is the repeated one (tháng nhuận), e.g. the second 2nd month of 2023.</param>
public readonly record struct LunarDate(int Year, int Month, int Day, bool IsLeapMonth = false)
{
    public override string ToString() => $"{Day}/{Month}{(IsLeapMonth ? " nhuận" : "")}/{Year}";
}
