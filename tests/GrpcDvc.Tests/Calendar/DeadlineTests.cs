using GrpcDvc.Server.Calendar;
using static GrpcDvc.Tests.Calendar.CalendarFixtures;

namespace GrpcDvc.Tests.Calendar;

/// <summary>Receipt and statutory deadlines in Vietnam's office hours (07:30–11:30, 13:30–17:00 by default), on the 2026 calendar.</summary>
public sealed class DeadlineTests
{
    private static readonly ClockStop[] NoStops = [];

    private static DateTimeOffset Receipt(DateTimeOffset at, IntakeSchedule? schedule = null) => Deadlines.ReceiptOf(at, schedule ?? ResidenceHours, Working);

    private static DateTimeOffset DueDays(DateTimeOffset receivedAt, decimal days, IntakeSchedule? schedule = null, params ClockStop[] stops)
        => Deadlines.DueAfterWorkingDays(receivedAt, days, schedule ?? ResidenceHours, Working, stops);

    [Fact]
    public void Receipt_At1659OnAWeekday_IsAtOnce()
        => Assert.Equal(Vn(2026, 3, 2, 16, 59), Receipt(Vn(2026, 3, 2, 16, 59)));

    [Fact]
    public void Receipt_At1701OnAWeekday_IsTheNextMorningAt0730()
        => Assert.Equal(Vn(2026, 3, 3, 7, 30), Receipt(Vn(2026, 3, 2, 17, 1)));

    [Fact]
    public void Receipt_AtLunchTime_IsTheAfternoonSession()
        => Assert.Equal(Vn(2026, 3, 2, 13, 30), Receipt(Vn(2026, 3, 2, 12, 0)));

    [Fact]
    public void Receipt_Saturday1145_AfterTheSaturdayMorning_IsMondayMorning()
        => Assert.Equal(Vn(2026, 3, 9, 7, 30), Receipt(Vn(2026, 3, 7, 11, 45)));

    [Fact]
    public void Receipt_SaturdayMorning_ResidenceReceivesAtOnce_IdentityOnMonday()
    {
        Assert.Equal(Vn(2026, 3, 7, 10, 0), Receipt(Vn(2026, 3, 7, 10, 0), ResidenceHours));
        Assert.Equal(Vn(2026, 3, 9, 7, 30), Receipt(Vn(2026, 3, 7, 10, 0), IdentityHours));
    }

    [Fact]
    public void Receipt_OnAHoliday_IsTheFirstSessionAfterTheBreak()
        // 30/4/2026 (Thu): 30/4–3/5 is one break, so even Saturday morning 2/5 is closed.
        => Assert.Equal(Vn(2026, 5, 4, 7, 30), Receipt(Vn(2026, 4, 30, 9, 0)));

    [Fact]
    public void Receipt_OnTet2026_IsMonday23February()
        => Assert.Equal(Vn(2026, 2, 23, 7, 30), Receipt(Vn(2026, 2, 17, 9, 0), IdentityHours));

    [Fact]
    public void Receipt_OnADeclaredWorkingSaturday_FollowsWeekdayHours_EvenForIdentity()
        => Assert.Equal(Vn(2026, 1, 10, 15, 0), Receipt(Vn(2026, 1, 10, 15, 0), IdentityHours));

    [Fact]
    public void WorkingDays_ReceiptDayIsNotCounted_OneDayFromMondayIsTuesdayEvening()
        => Assert.Equal(Vn(2026, 3, 3, 17, 0), DueDays(Vn(2026, 3, 2, 9, 0), 1));

    [Fact]
    public void WorkingDays_AcrossAWeekend_Identity_SkipsSaturdayAndSunday()
        // Thursday 5/3 + 3 working days: Fri 6, Mon 9, Tue 10.
        => Assert.Equal(Vn(2026, 3, 10, 17, 0), DueDays(Vn(2026, 3, 5, 9, 0), 3, IdentityHours));

    [Fact]
    public void WorkingDays_AcrossAWeekend_Residence_CountsSaturdayMorningAsHalfADay()
        // Thursday 5/3 + 3: Fri 6 (1), Sat 7 morning (½), Mon 9 (1), Tue 10 morning (½).
        => Assert.Equal(Vn(2026, 3, 10, 11, 30), DueDays(Vn(2026, 3, 5, 9, 0), 3));

    [Fact]
    public void HalfAWorkingDay_IsOneSession()
        => Assert.Equal(Vn(2026, 3, 3, 11, 30), DueDays(Vn(2026, 3, 2, 9, 0), 0.5m));

    [Fact]
    public void WorkingDays_AcrossTet2026_SkipTheWholeBreak()
        // Friday 13/2 + 3 (identity): the break runs 14/2–22/2, so Mon 23, Tue 24, Wed 25.
        => Assert.Equal(Vn(2026, 2, 25, 17, 0), DueDays(Vn(2026, 2, 13, 10, 0), 3, IdentityHours));

    [Fact]
    public void WorkingDays_AcrossTet2026_Residence_NoSaturdayMorningInsideTheBreak()
        => Assert.Equal(Vn(2026, 2, 25, 17, 0), DueDays(Vn(2026, 2, 13, 10, 0), 3, ResidenceHours));

    [Fact]
    public void WorkingDays_AcrossTet2027_GeneratedBreak5To11February()
        // Thursday 4/2/2027 + 2: the break runs 5/2–11/2 (generated), so Fri 12/2 and Mon 15/2.
        => Assert.Equal(Vn(2027, 2, 15, 17, 0), DueDays(Vn(2027, 2, 4, 10, 0), 2, IdentityHours));

    [Fact]
    public void WorkingDays_SevenForPermanentResidence_FromAFridayAfternoonSubmission()
    {
        // Submitted Friday 6/3/2026 at 17:30: received Saturday 7/3 at 07:30 (residence desks open Saturday morning);
        // counting starts Monday 9/3: 7 working days end Tuesday 17/3.
        var received = Receipt(Vn(2026, 3, 6, 17, 30));
        Assert.Equal(Vn(2026, 3, 7, 7, 30), received);
        Assert.Equal(Vn(2026, 3, 17, 11, 30), DueDays(received, 7));
    }

    [Fact]
    public void WorkingDays_OnADeclaredWorkingSaturday_Count()
        // Thursday 8/1/2026 + 2 (identity): Fri 9/1 and Saturday 10/1 (worked in place of 2/1).
        => Assert.Equal(Vn(2026, 1, 10, 17, 0), DueDays(Vn(2026, 1, 8, 10, 0), 2, IdentityHours));

    [Fact]
    public void ClockStop_SessionsItTouches_DoNotCount()
    {
        // Monday 2/3 + 3 (identity) is Thursday 5/3 evening; waiting for a supplement Tue 10:00 – Wed 14:00
        // touches the four sessions of Tuesday and Wednesday, so the three days are Thu, Fri and Mon: due Monday 9/3 17:00.
        var stop = new ClockStop(Vn(2026, 3, 3, 10, 0), Vn(2026, 3, 4, 14, 0));
        Assert.Equal(Vn(2026, 3, 5, 17, 0), DueDays(Vn(2026, 3, 2, 9, 0), 3, IdentityHours));
        Assert.Equal(Vn(2026, 3, 9, 17, 0), DueDays(Vn(2026, 3, 2, 9, 0), 3, IdentityHours, stop));
    }

    [Fact]
    public void WorkingHours_CountOnlySessionTime()
        // 8 working hours from Monday 16:00: 1 h on Monday, 4 h Tuesday morning, 3 h Tuesday afternoon → 16:30.
        => Assert.Equal(Vn(2026, 3, 3, 16, 30), Deadlines.DueAfterWorkingHours(Vn(2026, 3, 2, 16, 0), TimeSpan.FromHours(8), IdentityHours, Working, NoStops));

    [Fact]
    public void WorkingHours_ClockStop_IsTakenOutExactly()
    {
        // From Monday 08:00, 4 hours end at 14:00 (3.5 h in the morning, 0.5 h after lunch);
        // a stop 09:00–10:00 pushes it one working hour later: 15:00.
        var stop = new ClockStop(Vn(2026, 3, 2, 9, 0), Vn(2026, 3, 2, 10, 0));
        Assert.Equal(Vn(2026, 3, 2, 14, 0), Deadlines.DueAfterWorkingHours(Vn(2026, 3, 2, 8, 0), TimeSpan.FromHours(4), IdentityHours, Working, NoStops));
        Assert.Equal(Vn(2026, 3, 2, 15, 0), Deadlines.DueAfterWorkingHours(Vn(2026, 3, 2, 8, 0), TimeSpan.FromHours(4), IdentityHours, Working, [stop]));
    }

    [Fact]
    public void WorkingHours_SaturdayMorning_CountsForResidence_NotAfternoon()
        // Friday 16:00 + 6 h (residence): 1 h Friday, 4 h Saturday morning, then Monday 07:30 + 1 h.
        => Assert.Equal(Vn(2026, 3, 9, 8, 30), Deadlines.DueAfterWorkingHours(Vn(2026, 3, 6, 16, 0), TimeSpan.FromHours(6), ResidenceHours, Working, NoStops));

    [Fact]
    public void WorkingDays_NotAWholeOrHalfNumber_IsRefused()
        => Assert.Throws<ArgumentOutOfRangeException>(() => DueDays(Vn(2026, 3, 2, 9, 0), 1.25m));

    [Theory]
    [InlineData(22, 59, 22, 59, 0)]
    [InlineData(23, 0, 8, 0, 1)]
    [InlineData(23, 30, 8, 0, 1)]
    [InlineData(0, 30, 0, 30, 0)]
    public void StayNotification_Before2300IsReceivedAtOnce_After2300By0800NextDay(int hour, int minute, int receivedHour, int receivedMinute, int dayLater)
    {
        // A Sunday on purpose: stays are notified every day, holidays included.
        var rule = new StayNotificationRule();
        Assert.Equal(Vn(2026, 3, 8 + dayLater, receivedHour, receivedMinute), rule.ReceiptOf(Vn(2026, 3, 8, hour, minute)));
    }

    [Fact]
    public void StayNotification_RuleIsConfiguration()
    {
        var rule = new StayNotificationRule { Cutoff = new TimeSpan(22, 0, 0), ReceivedBy = new TimeSpan(7, 0, 0) };
        Assert.Equal(Vn(2026, 3, 9, 7, 0), rule.ReceiptOf(Vn(2026, 3, 8, 22, 30)));
    }
}
