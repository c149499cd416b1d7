namespace GrpcDvc.Server.Calendar;

/// <summary>
/// When a dossier counts as received, and when its statutory time runs out. All of it is counted
/// in the office's sessions on working days (Asia/Ho_Chi_Minh), so weekends, holidays, Saturday
/// afternoons and nights never count:
/// <list type="bullet">
/// <item>Receipt: a submission inside a session is received at once; outside, at the start of the next session.</item>
/// <item>N working days (Civil Code 2015 art. 147: the first day of a period in days is not counted):
/// counting starts with the day after receipt, one working day is a weekday's sessions (two), a
/// Saturday morning is half a day, so ½ working day is one session. Due at the end of the last session counted.</item>
/// <item>N working hours (art. 147: a period in hours starts at the moment itself): the sessions' time from receipt on.</item>
/// <item>Clock stops: a session touched by a stop does not count toward days; stopped time does not count toward hours.</item>
/// </list>
/// </summary>
public static class Deadlines
{
    /// <summary>How far ahead the counting looks before it gives up (the calendar throws first when a year is not loaded).</summary>
    private const int MaxScanDays = 4 * 366;

    public static DateTimeOffset ReceiptOf(DateTimeOffset submittedAt, IntakeSchedule schedule, WorkingCalendar calendar)
    {
        foreach (var (start, end) in SessionsFrom(VietnamTime.DateOf(submittedAt), schedule, calendar))
        {
            if (submittedAt < start)
            {
                return start;
            }

            if (submittedAt < end)
            {
                return submittedAt;
            }
        }

        throw NoWorkingTime();
    }

    /// <param name="workingDays">A whole or half number of working days, more than zero.</param>
    public static DateTimeOffset DueAfterWorkingDays(DateTimeOffset receivedAt, decimal workingDays, IntakeSchedule schedule, WorkingCalendar calendar, IReadOnlyList<ClockStop> stops)
    {
        var sessions = workingDays * schedule.SessionsPerDay;
        if (workingDays <= 0 || sessions != decimal.Truncate(sessions))
        {
            throw new ArgumentOutOfRangeException(nameof(workingDays), workingDays, "A deadline is a positive whole or half number of working days.");
        }

        var counted = 0;
        foreach (var (start, end) in SessionsFrom(VietnamTime.DateOf(receivedAt).AddDays(1), schedule, calendar))
        {
            if (stops.Any(s => s.Overlaps(start, end)))
            {
                continue;
            }

            if (++counted == sessions)
            {
                return end;
            }
        }

        throw NoWorkingTime();
    }

    public static DateTimeOffset DueAfterWorkingHours(DateTimeOffset receivedAt, TimeSpan workingHours, IntakeSchedule schedule, WorkingCalendar calendar, IReadOnlyList<ClockStop> stops)
    {
        if (workingHours <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(workingHours), workingHours, "A deadline in hours must be positive.");
        }

        var remaining = workingHours;
        var ordered = stops.OrderBy(s => s.From).ToList();
        foreach (var (sessionStart, sessionEnd) in SessionsFrom(VietnamTime.DateOf(receivedAt), schedule, calendar))
        {
            var start = sessionStart < receivedAt ? receivedAt : sessionStart;
            foreach (var (from, until) in Running(start, sessionEnd, ordered))
            {
                if (remaining <= until - from)
                {
                    return from + remaining;
                }

                remaining -= until - from;
            }
        }

        throw NoWorkingTime();
    }

    /// <summary>The parts of [start, end) the clock runs in: the interval minus the stops.</summary>
    private static IEnumerable<(DateTimeOffset From, DateTimeOffset Until)> Running(DateTimeOffset start, DateTimeOffset end, List<ClockStop> ordered)
    {
        var cursor = start;
        foreach (var stop in ordered.Where(s => s.Overlaps(cursor, end)))
        {
            if (stop.From > cursor)
            {
                yield return (cursor, stop.From);
            }

            cursor = stop.Until > cursor ? stop.Until : cursor;
        }

        if (cursor < end)
        {
            yield return (cursor, end);
        }
    }

    /// <summary>Every working session from the start of <paramref name="firstDay"/> on, as instants.</summary>
    private static IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> SessionsFrom(DateOnly firstDay, IntakeSchedule schedule, WorkingCalendar calendar)
    {
        for (var day = firstDay; day <= firstDay.AddDays(MaxScanDays); day = day.AddDays(1))
        {
            foreach (var session in schedule.SessionsOn(day, calendar))
            {
                yield return (VietnamTime.At(day, session.Start), VietnamTime.At(day, session.End));
            }
        }
    }

    private static InvalidOperationException NoWorkingTime() => new("No working time within four years: the calendar has no working day.");
}
