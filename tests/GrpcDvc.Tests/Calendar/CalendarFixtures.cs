using GrpcDvc.Server.Calendar;

namespace GrpcDvc.Tests.Calendar;

/// <summary>The calendar as the server has it at first start: 2026 from the data file, the other years generated.</summary>
internal static class CalendarFixtures
{
    public static CalendarData Data { get; } = CalendarData.Load(CalendarData.DefaultPath);

    public static CalendarRules Rules { get; } = new(Data.Rules);

    public static WorkingCalendar Working { get; } = new([2025, 2026, 2027, 2028],
        [.. Rules.DefaultsFor(2025), .. Data.Years.Single(y => y.Year == 2026).Days, .. Rules.DefaultsFor(2027), .. Rules.DefaultsFor(2028)]);

    public static IntakeSchedule ResidenceHours { get; } = IntakeSchedule.For(ScheduleKind.Residence, new CalendarOptions());

    public static IntakeSchedule IdentityHours { get; } = IntakeSchedule.For(ScheduleKind.Identity, new CalendarOptions());

    /// <summary>A local time in Vietnam (UTC+7).</summary>
    public static DateTimeOffset Vn(int year, int month, int day, int hour = 0, int minute = 0)
        => new(year, month, day, hour, minute, 0, TimeSpan.FromHours(7));
}
