using GrpcDvc.Server.Calendar;

namespace GrpcDvc.Server.Appointments.Stations;

/// <summary>One session of a station's weekly template: ISO weekday (1 Monday … 7 Sunday), part, local minutes, quota.</summary>
public sealed record TemplateSlot(int Weekday, int Part, int StartMinute, int EndMinute, int Capacity);

/// <summary>A dated exception (station_overrides): part 0 with <see cref="StationOverrideKinds.Closed"/> is the whole day.</summary>
public sealed record DatedChange(DateOnly Date, int Part, string Kind, int? StartMinute = null, int? EndMinute = null, int? Capacity = null);

/// <summary>What the calendar rules need of a station: its template, its overrides, and a mobile team's visit.</summary>
public sealed record StationCalendar(IReadOnlyList<TemplateSlot> Template, IReadOnlyList<DatedChange> Overrides, DateOnly? VisitFrom = null, DateOnly? VisitTo = null);

/// <summary>One session a date has: part, local start and end (minutes after midnight), quota.</summary>
public sealed record PlannedSession(DateOnly Date, int Part, int StartMinute, int EndMinute, int Capacity)
{
    public DateTimeOffset StartsAt => VietnamTime.At(Date, TimeSpan.FromMinutes(StartMinute));

    public DateTimeOffset EndsAt => VietnamTime.At(Date, TimeSpan.FromMinutes(EndMinute));
}

/// <summary>
/// The sessions of one date at one station, from its weekly template, its dated overrides and the shared
/// working calendar. In order:
/// <list type="number">
/// <item>a mobile team outside its visit has no session at all (it is elsewhere, overrides included);</item>
/// <item>a holiday has no template session, whatever the template says; a rest day (Saturday, Sunday) declared a
/// working day follows the Monday template (làm bù works a full weekday); any other day follows its weekday;</item>
/// <item>a whole-day closure leaves nothing (extra sessions included); a closed part removes that part;</item>
/// <item>an extra session adds its part (replacing the template's times and quota for that part), so a holiday
/// or a Sunday can still work when the manager says so;</item>
/// <item>a capacity override changes the quota of a part the day has; on a part it does not have it does nothing.</item>
/// </list>
/// </summary>
public static class DayPlan
{
    public const int MondayTemplate = 1;

    public static IReadOnlyList<PlannedSession> SessionsOf(StationCalendar station, DateOnly date, WorkingCalendar calendar)
    {
        if ((station.VisitFrom is { } from && date < from) || (station.VisitTo is { } to && date > to))
        {
            return [];
        }

        var overrides = station.Overrides.Where(o => o.Date == date).ToList();
        if (overrides.Any(o => o.Part == 0 && o.Kind == StationOverrideKinds.Closed))
        {
            return [];
        }

        var sessions = new SortedDictionary<int, PlannedSession>();
        if (!calendar.IsHoliday(date))
        {
            var weekday = HolidayGenerator.IsWeeklyRest(date) && calendar.IsDeclaredWorkingDay(date) ? MondayTemplate : IsoWeekday(date);
            foreach (var slot in station.Template.Where(t => t.Weekday == weekday))
            {
                sessions[slot.Part] = new PlannedSession(date, slot.Part, slot.StartMinute, slot.EndMinute, slot.Capacity);
            }
        }

        foreach (var exception in overrides.Where(o => o.Part != 0))
        {
            switch (exception.Kind)
            {
                case StationOverrideKinds.Closed:
                    sessions.Remove(exception.Part);
                    break;
                case StationOverrideKinds.ExtraSession when exception is { StartMinute: { } start, EndMinute: { } end, Capacity: { } capacity }:
                    sessions[exception.Part] = new PlannedSession(date, exception.Part, start, end, capacity);
                    break;
                case StationOverrideKinds.Capacity when exception.Capacity is { } quota && sessions.TryGetValue(exception.Part, out var session):
                    sessions[exception.Part] = session with { Capacity = quota };
                    break;
            }
        }

        return [.. sessions.Values];
    }

    /// <summary>ISO weekday: 1 Monday … 7 Sunday (the proto's Weekday numbers and station_template_sessions.weekday).</summary>
    public static int IsoWeekday(DateOnly date) => date.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)date.DayOfWeek;
}

/// <summary>
/// When days open for booking. Day D opens at the station's release time (Asia/Ho_Chi_Minh) on
/// D − booking_window_days: with a window of 7 and release 00:00, Monday the 30th opens at 00:00 on Monday the 23rd.
/// That instant is the opens_at of D's session rows, and booking's conditional update requires opens_at ≤ now.
/// </summary>
public static class BookingWindow
{
    public static DateTimeOffset OpensAt(DateOnly date, int bookingWindowDays, int releaseMinute)
        => VietnamTime.At(date.AddDays(-bookingWindowDays), TimeSpan.FromMinutes(releaseMinute));

    /// <summary>The last day open for booking at <paramref name="now"/>: the latest D with OpensAt(D) ≤ now.</summary>
    public static DateOnly LastOpenDate(DateTimeOffset now, int bookingWindowDays, int releaseMinute)
    {
        var local = VietnamTime.ToLocal(now);
        var today = DateOnly.FromDateTime(local.DateTime);
        var released = local.TimeOfDay >= TimeSpan.FromMinutes(releaseMinute);
        return today.AddDays(bookingWindowDays - (released ? 0 : 1));
    }

    /// <summary>
    /// The last day whose session rows should exist: the last open day and the next one, so the rows of a day are
    /// there before its release (opens_at gates booking) and the release storm only updates rows.
    /// </summary>
    public static DateOnly MaterialiseThrough(DateTimeOffset now, int bookingWindowDays, int releaseMinute)
        => LastOpenDate(now, bookingWindowDays, releaseMinute).AddDays(1);
}
