using GrpcDvc.Server.Appointments;
using GrpcDvc.Server.Appointments.Stations;
using GrpcDvc.Server.Calendar;

namespace GrpcDvc.Tests.Appointments.Stations;

/// <summary>The calendar rules of a station's day and its booking window, without a database.</summary>
public sealed class DayPlanTests
{
    private const int Morning = 1;
    private const int Afternoon = 2;
    private const int Evening = 3;

    // Week of Monday 2026-11-30; Wednesday 2026-12-02 is made a holiday, Saturday 2026-12-05 a declared working day.
    private static readonly DateOnly Monday = new(2026, 11, 30);
    private static readonly DateOnly Wednesday = new(2026, 12, 2);
    private static readonly DateOnly Saturday = new(2026, 12, 5);
    private static readonly DateOnly Sunday = new(2026, 12, 6);

    private static readonly WorkingCalendar Calendar = new([2026, 2027],
    [
        new CalendarDay(Wednesday, DayKind.Holiday, "Nghỉ lễ thử", "Test holiday", "test"),
        new CalendarDay(Saturday, DayKind.WorkingDay, "Làm bù", "Make-up working day", "test"),
    ]);

    /// <summary>Monday–Friday: morning 07:30–11:30 for 50, afternoon 13:30–17:00 for 40; Monday's morning for 80; Saturday morning for 20.</summary>
    private static readonly IReadOnlyList<TemplateSlot> Template =
    [
        .. Enumerable.Range(2, 4).SelectMany(d => new[] { new TemplateSlot(d, Morning, 450, 690, 50), new TemplateSlot(d, Afternoon, 810, 1020, 40) }),
        new TemplateSlot(1, Morning, 450, 690, 80),
        new TemplateSlot(1, Afternoon, 810, 1020, 40),
        new TemplateSlot(6, Morning, 450, 690, 20),
    ];

    private static IReadOnlyList<PlannedSession> Plan(DateOnly date, params DatedChange[] overrides)
        => DayPlan.SessionsOf(new StationCalendar(Template, overrides), date, Calendar);

    [Fact]
    public void Template_OrdinaryWeekday_GivesItsSessionsWithLocalTimesAndQuota()
    {
        var sessions = Plan(Monday.AddDays(1));

        Assert.Equal([(Morning, 450, 690, 50), (Afternoon, 810, 1020, 40)], sessions.Select(s => (s.Part, s.StartMinute, s.EndMinute, s.Capacity)));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 7, 30, 0, TimeSpan.FromHours(7)), sessions[0].StartsAt);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero), sessions[1].EndsAt);
    }

    [Fact]
    public void Template_WeekdayWithoutSessions_IsClosed()
        => Assert.Empty(Plan(Sunday));

    [Fact]
    public void Holiday_TemplateWorksThatWeekday_HasNoSession()
        => Assert.Empty(Plan(Wednesday));

    [Fact]
    public void Holiday_WithAnExtraSession_WorksOnlyThatSession()
    {
        var sessions = Plan(Wednesday, new DatedChange(Wednesday, Morning, StationOverrideKinds.ExtraSession, 480, 660, 30));

        Assert.Equal([(Morning, 480, 660, 30)], sessions.Select(s => (s.Part, s.StartMinute, s.EndMinute, s.Capacity)));
    }

    [Fact]
    public void Holiday_CapacityOverride_OpensNothing()
        => Assert.Empty(Plan(Wednesday, new DatedChange(Wednesday, Morning, StationOverrideKinds.Capacity, Capacity: 10)));

    [Fact]
    public void DeclaredWorkingDay_SaturdayWithItsOwnTemplate_FollowsTheMondayTemplate()
        => Assert.Equal([(Morning, 80), (Afternoon, 40)], Plan(Saturday).Select(s => (s.Part, s.Capacity)));

    [Fact]
    public void OrdinarySaturday_FollowsTheSaturdayTemplate()
        => Assert.Equal([(Morning, 20)], Plan(Saturday.AddDays(7)).Select(s => (s.Part, s.Capacity)));

    [Fact]
    public void ClosedWholeDay_WithAnExtraSession_HasNoSession()
        => Assert.Empty(Plan(Monday,
            new DatedChange(Monday, 0, StationOverrideKinds.Closed),
            new DatedChange(Monday, Evening, StationOverrideKinds.ExtraSession, 1080, 1260, 30)));

    [Fact]
    public void ClosedPart_RemovesOnlyThatPart()
        => Assert.Equal([Afternoon], Plan(Monday, new DatedChange(Monday, Morning, StationOverrideKinds.Closed)).Select(s => s.Part));

    [Fact]
    public void ExtraEvening_OnAWorkingDay_IsAddedAfterTheTemplate()
        => Assert.Equal([(Morning, 80), (Afternoon, 40), (Evening, 60)],
            Plan(Monday, new DatedChange(Monday, Evening, StationOverrideKinds.ExtraSession, 1080, 1320, 60)).Select(s => (s.Part, s.Capacity)));

    [Fact]
    public void CapacityOverride_ChangesOnlyItsDateAndPart()
    {
        var change = new DatedChange(Monday, Afternoon, StationOverrideKinds.Capacity, Capacity: 5);

        Assert.Equal([80, 5], Plan(Monday, change).Select(s => s.Capacity));
        Assert.Equal([50, 40], Plan(Monday.AddDays(1), change).Select(s => s.Capacity));
    }

    [Fact]
    public void MobileTeam_OutsideItsVisit_HasNoSessionEvenWithAnExtraSession()
    {
        var extra = new DatedChange(Monday, Evening, StationOverrideKinds.ExtraSession, 1080, 1260, 30);
        var station = new StationCalendar(Template, [extra], VisitFrom: Monday.AddDays(1), VisitTo: Monday.AddDays(3));

        Assert.Empty(DayPlan.SessionsOf(station, Monday, Calendar));
        Assert.Equal(2, DayPlan.SessionsOf(station, Monday.AddDays(1), Calendar).Count);
        Assert.Empty(DayPlan.SessionsOf(station, Wednesday, Calendar)); // inside the visit, but a holiday
        Assert.Equal(2, DayPlan.SessionsOf(station, Monday.AddDays(3), Calendar).Count);
        Assert.Empty(DayPlan.SessionsOf(station, Monday.AddDays(4), Calendar));
    }

    [Fact]
    public void OpensAt_WindowSevenReleaseMidnight_IsLocalMidnightSevenDaysBefore()
        => Assert.Equal(new DateTimeOffset(2026, 11, 22, 17, 0, 0, TimeSpan.Zero), BookingWindow.OpensAt(Monday, 7, 0));

    [Fact]
    public void OpensAt_ReleaseAtEight_IsEightInVietnam()
        => Assert.Equal(new DateTimeOffset(2026, 11, 16, 1, 0, 0, TimeSpan.Zero), BookingWindow.OpensAt(Monday, 14, 8 * 60));

    [Theory]
    // 2026-11-23 00:30 in Vietnam (17:30 UTC the day before): release 00:00 has passed, release 08:00 has not.
    [InlineData("2026-11-22T17:30:00Z", 7, 0, "2026-11-30")]
    [InlineData("2026-11-22T17:30:00Z", 7, 480, "2026-11-29")]
    // One minute before local midnight: the day seven ahead of today opened, tomorrow's not yet.
    [InlineData("2026-11-22T16:59:00Z", 7, 0, "2026-11-29")]
    [InlineData("2026-11-23T01:00:00Z", 1, 480, "2026-11-24")]
    public void LastOpenDate_AtAnInstant_IsTheLatestDayWhoseReleaseHasPassed(string now, int window, int release, string expected)
    {
        var instant = DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture);
        var last = BookingWindow.LastOpenDate(instant, window, release);

        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), last);
        Assert.True(BookingWindow.OpensAt(last, window, release) <= instant);
        Assert.True(BookingWindow.OpensAt(last.AddDays(1), window, release) > instant);
        Assert.Equal(last.AddDays(1), BookingWindow.MaterialiseThrough(instant, window, release));
    }
}
