using System.Globalization;
using GrpcDvc.Server.Calendar.Lunar;

namespace GrpcDvc.Tests.Calendar;

/// <summary>
/// The Vietnamese lunar calendar against dates published by others (each source is named beside its
/// data), against Meeus' own worked examples, and against .NET's Chinese calendar when computed at
/// UTC+8 instead of UTC+7.
/// </summary>
public sealed class LunarCalendarTests
{
    private static readonly VietnameseLunarCalendar Vietnam = VietnameseLunarCalendar.Vietnam;

    /// <summary>Tết (1 Giêng) in Vietnam, with the source that states it.</summary>
    public static TheoryData<int, string> TetDates => new()
    {
        // North Vietnam's 1968 Tết was 29 Jan, the South (still on UTC+8) and China 30 Jan: the Tet Offensive
        // account quoted on wiki.suikawiki.org ("黄暦"), new moon 16:29 UT on 29 Jan.
        { 1968, "1968-01-29" },
        // 1985: Vietnam 21 Jan, China 20 Feb (oreateai.com "1985 Lunar New Year"; Hồ Ngọc Đức's calendar rules).
        { 1985, "1985-01-21" },
        // 2007: Vietnam 17 Feb, China 18 Feb (vccinews.com, State Calendar Committee, 29/9/2006; viet-jo.com 2006).
        { 2007, "2007-02-17" },
        // 2015: 19 Feb; 15/2/2015 was 27 Chạp Giáp Ngọ and 18/2 the 30th (cand.com.vn, Tết 2015 options).
        { 2015, "2015-02-19" },
        // 2024: Saturday 10/2/2024 (saimonthidan.com "Tết 2024 vào ngày nào").
        { 2024, "2024-02-10" },
        // 2025: Wednesday 29/1/2025 (ngoisao.vn, 14/1/2025).
        { 2025, "2025-01-29" },
        // 2026: 14/2/2026 = 27 Chạp Ất Tỵ, 22/2 = mùng 6 Giêng Bính Ngọ (congan.com.vn; Thông báo 9441/TB-BNV).
        { 2026, "2026-02-17" },
        // 2027: Saturday 6/2/2027 (ntdvn.net "Tết 2027 vào ngày nào").
        { 2027, "2027-02-06" },
    };

    [Theory]
    [MemberData(nameof(TetDates))]
    public void Tet_KnownYears_FallOnThePublishedDay(int year, string expected)
        => Assert.Equal(DateOnly.Parse(expected, CultureInfo.InvariantCulture), Vietnam.NewYear(year));

    /// <summary>
    /// Years in which Vietnam's Tết is not China's: 1968, 1969, 1985, 2007 (viet-jo.com's list from the
    /// State Calendar Committee names 1968, 1969, 1984-85, 2030 and 2053; vccinews.com 2007), and
    /// "in 2030 and 2053 Vietnam celebrates Tết earlier than China" (scienceinfo.net).
    /// </summary>
    [Theory]
    [InlineData(1968)]
    [InlineData(1969)]
    [InlineData(1985)]
    [InlineData(2007)]
    [InlineData(2030)]
    [InlineData(2053)]
    public void Tet_InTheDifferingYears_IsEarlierThanDotNetsChineseNewYear(int year)
        => Assert.True(Vietnam.NewYear(year) < ChineseNewYear(year), $"{year}: VN {Vietnam.NewYear(year)}, CN {ChineseNewYear(year)}");

    [Fact]
    public void Tet_2030_IsTheSecondOfFebruary_ADayBeforeChina()
    {
        Assert.Equal(new DateOnly(2030, 2, 2), Vietnam.NewYear(2030));
        Assert.Equal(new DateOnly(2030, 2, 3), ChineseNewYear(2030));
    }

    /// <summary>
    /// The same rules at UTC+8 give .NET's Chinese New Year for every year from 1929 (when China's
    /// calendar moved to the 120°E meridian) to 2100: the astronomy is independent of .NET's tables.
    /// </summary>
    [Fact]
    public void UtcPlus8_ReproducesDotNetsChineseCalendar_ForEveryNewYear1929To2100()
    {
        var china = new VietnameseLunarCalendar(8);
        var different = Enumerable.Range(1929, 2100 - 1929 + 1).Where(y => china.NewYear(y) != ChineseNewYear(y)).ToList();
        Assert.Empty(different);
    }

    /// <summary>Before 1929 the Chinese calendar was computed for Beijing's local mean time (116°25′E, UTC+7:45:40); 1916 shows it.</summary>
    [Fact]
    public void BeijingLocalTime_Reproduces1916_WhichUtcPlus8DoesNot()
    {
        Assert.NotEqual(ChineseNewYear(1916), new VietnameseLunarCalendar(8).NewYear(1916));
        Assert.Equal(ChineseNewYear(1916), new VietnameseLunarCalendar(7 + (45 / 60.0) + (40 / 3600.0)).NewYear(1916));
    }

    /// <summary>From 1968 (Vietnam on UTC+7) to 2100, Tết differs from .NET's Chinese New Year exactly in the years the sources name.</summary>
    [Fact]
    public void UtcPlus7_DiffersFromTheChineseNewYear_OnlyInTheKnownYears()
    {
        var different = Enumerable.Range(1968, 2100 - 1968 + 1).Where(y => Vietnam.NewYear(y) != ChineseNewYear(y)).ToList();
        Assert.Equal([1968, 1969, 1985, 2007, 2030, 2053], different);
    }

    /// <summary>
    /// Giỗ Tổ Hùng Vương, 10/3 lunar: Sunday 26/4/2026 (kenh14.vn and thanhnien.vn, 2026); 21/4/2021
    /// (the consulate in Vancouver's 2021 holiday list); a Saturday in 2016, 16/4 (meohaybotui.com).
    /// </summary>
    [Theory]
    [InlineData(2016, "2016-04-16")]
    [InlineData(2021, "2021-04-21")]
    [InlineData(2026, "2026-04-26")]
    public void HungKingsDay_TenthOfTheThirdMonth_FallsOnThePublishedDay(int year, string expected)
        => Assert.Equal(DateOnly.Parse(expected, CultureInfo.InvariantCulture), Vietnam.ToGregorian(new LunarDate(year, 3, 10)));

    [Fact]
    public void LeapMonth_2023_IsTheSecond()
        // "Tháng nhuận của năm 2023 rơi vào tháng 2 âm lịch" (phapluatxahoi.kinhtedothi.vn).
        => Assert.Equal(2, Vietnam.LeapMonth(2023));

    [Fact]
    public void LeapMonth_2025_IsTheSixth_From25JulyTo22August()
    {
        // nguoi-noi-tieng.com, 2025: month 6 from 25/6 to 24/7 (30 days), leap month 6 from 25/7 to 22/8 (29 days).
        Assert.Equal(6, Vietnam.LeapMonth(2025));
        Assert.Equal(new LunarDate(2025, 6, 1, IsLeapMonth: true), Vietnam.FromGregorian(new DateOnly(2025, 7, 25)));
        Assert.Equal(new LunarDate(2025, 6, 29, IsLeapMonth: true), Vietnam.FromGregorian(new DateOnly(2025, 8, 22)));
        Assert.Equal(new LunarDate(2025, 7, 1), Vietnam.FromGregorian(new DateOnly(2025, 8, 23)));
        Assert.Equal(new LunarDate(2025, 6, 30), Vietnam.FromGregorian(new DateOnly(2025, 7, 24)));
    }

    [Fact]
    public void LeapMonth_CommonYear_IsNone() => Assert.Null(Vietnam.LeapMonth(2026));

    [Fact]
    public void Tet2026_TheDaysAround_AreTheLastOfChạpAndTheFirstOfGiêng()
    {
        // Thông báo 9441/TB-BNV: 16/2/2026 is 29 Chạp Ất Tỵ, 20/2/2026 is mùng 4 Giêng Bính Ngọ.
        Assert.Equal(new LunarDate(2025, 12, 29), Vietnam.FromGregorian(new DateOnly(2026, 2, 16)));
        Assert.Equal(new LunarDate(2026, 1, 4), Vietnam.FromGregorian(new DateOnly(2026, 2, 20)));
    }

    [Fact]
    public void Conversion_EveryDay1900To2199_RoundTrips()
    {
        var checkedDays = 0;
        for (var day = VietnameseLunarCalendar.MinDate; day <= VietnameseLunarCalendar.MaxDate; day = day.AddDays(1))
        {
            var lunar = Vietnam.FromGregorian(day);
            Assert.True(lunar.Day is >= 1 and <= 30, $"{day}: {lunar}");
            if (lunar.Year >= VietnameseLunarCalendar.MinYear)
            {
                Assert.Equal(day, Vietnam.ToGregorian(lunar));
                checkedDays++;
            }
        }

        Assert.True(checkedDays > 109_000, $"{checkedDays} days");
    }

    [Fact]
    public void LunarYears_1900To2199_HaveTwelveOrThirteenMonths_AndAtMostOneLeap()
    {
        for (var year = 1900; year < 2199; year++)
        {
            var span = Vietnam.SolsticeSpan(year);
            Assert.InRange(span.Count, 12, 13);
            Assert.Equal(span.Count == 13 ? 1 : 0, span.Count(m => m.IsLeap));
            Assert.All(span, m => Assert.InRange(m.Length, 29, 30));
        }
    }

    [Fact]
    public void ToGregorian_ALeapMonthTheYearDoesNotHave_IsRefused()
        => Assert.False(Vietnam.TryToGregorian(new LunarDate(2026, 2, 1, IsLeapMonth: true), out _));

    [Fact]
    public void NewMoon_MeeusExample49a_February1977()
        // Astronomical Algorithms, example 49.a: k = −283, JDE 2443192.65118 (1977 Feb 18, 3h37m42s TD).
        => Assert.Equal(2443192.65118, NewMoon.InstantTerrestrialTime(-283), 0.00002);

    [Fact]
    public void SunLongitude_MeeusExample25a_October1992()
    {
        // Example 25.a: 1992 October 13.0 TD, apparent longitude 199.90895° (low-accuracy method); given UT, add ΔT back.
        var ut = 2448908.5 - DeltaT.Days(2448908.5);
        Assert.Equal(199.90895, SunLongitude.Degrees(ut), 0.0005);
    }

    private static readonly ChineseLunisolarCalendar Chinese = new();

    private static DateOnly ChineseNewYear(int year) => DateOnly.FromDateTime(Chinese.ToDateTime(year, 1, 1, 0, 0, 0, 0));
}
