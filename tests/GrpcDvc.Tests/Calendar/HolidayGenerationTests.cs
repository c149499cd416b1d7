using GrpcDvc.Server.Calendar;
using static GrpcDvc.Tests.Calendar.CalendarFixtures;

namespace GrpcDvc.Tests.Calendar;

/// <summary>The Labour Code's rules, as data, give a year its default holidays; announced years come from the data file.</summary>
public sealed class HolidayGenerationTests
{
    private static List<DateOnly> Holidays(int year) => [.. Rules.DefaultsFor(year).Where(d => d.Kind == DayKind.Holiday).Select(d => d.Date)];

    [Fact]
    public void Tet2027_SaturdayNewYear_BreakRuns5To11February_WithTwoDaysInLieu()
    {
        // Tết Đinh Mùi is Saturday 6/2/2027: 29 Chạp (Fri 5/2) and mùng 1–4 (6–9/2); Sat and Sun give 10/2 and 11/2 in lieu.
        var tet = Holidays(2027).Where(d => d.Month == 2).ToList();
        Assert.Equal(Enumerable.Range(5, 7).Select(day => new DateOnly(2027, 2, day)), tet);
        Assert.StartsWith("Nghỉ bù", Rules.DefaultsFor(2027).Single(d => d.Date == new DateOnly(2027, 2, 10)).NameVi);
    }

    [Fact]
    public void Generated2026_TetBlock_IsTheOneTheMinistryAnnounced()
    {
        // The default split (29 Chạp + mùng 1–4, with the weekends joined) is exactly Thông báo 9441/TB-BNV's 14/2–22/2.
        var tet = Holidays(2026).Where(d => d.Month == 2).ToList();
        Assert.Equal(Enumerable.Range(14, 9).Select(day => new DateOnly(2026, 2, day)), tet);
    }

    [Fact]
    public void HungKings2026_OnASunday_MovesToMonday27April()
    {
        var holidays = Holidays(2026);
        Assert.Contains(new DateOnly(2026, 4, 26), holidays);
        Assert.Contains(new DateOnly(2026, 4, 27), holidays);
        Assert.DoesNotContain(new DateOnly(2026, 4, 28), holidays);
    }

    [Fact]
    public void CultureDay_From2026Only()
    {
        Assert.Contains(new DateOnly(2026, 11, 24), Holidays(2026));
        Assert.DoesNotContain(new DateOnly(2025, 11, 24), Holidays(2025));
    }

    [Fact]
    public void NationalDay_IsSecondSeptemberAndTheDayBefore()
    {
        Assert.Contains(new DateOnly(2027, 9, 1), Holidays(2027));
        Assert.Contains(new DateOnly(2027, 9, 2), Holidays(2027));
    }

    [Theory]
    [InlineData(2027)]
    [InlineData(2028)]
    [InlineData(2040)]
    public void EveryYear_HasElevenStatutoryDaysAndTheCultureDay_AndNoWeekdayLost(int year)
    {
        var days = Rules.DefaultsFor(year);
        // 11 days of art. 112 plus 24/11: each either on a weekday or answered by a weekday in lieu.
        var weekdaysOff = days.Count(d => !HolidayGenerator.IsWeeklyRest(d.Date));
        Assert.Equal(12, weekdaysOff);
    }

    [Fact]
    public void Announced2026_CompensatoryWorkingSaturdays_AreWorkingDays()
    {
        Assert.True(Working.IsWorkingDay(new DateOnly(2026, 1, 10)));
        Assert.True(Working.IsWorkingDay(new DateOnly(2026, 8, 22)));
        Assert.False(Working.IsWorkingDay(new DateOnly(2026, 1, 2)));
        Assert.False(Working.IsWorkingDay(new DateOnly(2026, 8, 31)));
    }

    [Fact]
    public void DataFile_EveryEntryNamesItsSource_AndBelongsToItsYear()
    {
        Assert.All(Data.Rules, r => Assert.False(string.IsNullOrWhiteSpace(r.Source)));
        Assert.All(Data.Years, y => Assert.All(y.Days, d =>
        {
            Assert.Equal(y.Year, d.Date.Year);
            Assert.False(string.IsNullOrWhiteSpace(d.Source));
        }));
    }
}
