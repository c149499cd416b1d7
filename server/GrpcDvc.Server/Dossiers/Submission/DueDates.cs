using System.Text.Json;
using GrpcDvc.Server.Calendar;
using GrpcDvc.Server.Catalog;

namespace GrpcDvc.Server.Dossiers.Submission;

/// <summary>The office hours a procedure receives on, from the catalog's intake days.</summary>
public enum IntakeHours
{
    /// <summary>Monday–Friday and Saturday morning (residence, and the identity procedures listed so).</summary>
    Residence = 1,

    /// <summary>Monday–Friday (identity cards; also where the catalog does not know: the 40-hour week of public offices).</summary>
    Weekdays = 2,

    /// <summary>Every day at any hour (stay notifications): the 23:00 / 08:00 rule instead of sessions.</summary>
    AnyTime = 3,
}

/// <param name="ClockStartedAt">The submission inside office hours, else the start of the next session (a stay notification: its own rule).</param>
/// <param name="DueAt">Null when the catalog gives no time.</param>
public sealed record Deadline(DateTimeOffset ClockStartedAt, DateTimeOffset? DueAt);

/// <summary>
/// When a submitted dossier's clock starts and when its statutory time runs out, with the rules of
/// Calendar/Deadlines over the stored holiday calendar:
/// working days and hours count office sessions; calendar days end with the last day's office hours,
/// carried to the next working day when that day is a rest day or holiday (Civil Code 2015 art. 148);
/// an immediate procedure is due when its clock starts.
/// </summary>
public static class DueDates
{
    public static IntakeHours IntakeOf(ProcedureRecord procedure)
    {
        var intake = JsonSerializer.Deserialize<ProcedureData>(procedure.DetailsJson, CatalogData.Json)?.IntakeDays;
        if (intake is not { Known: true })
        {
            return IntakeHours.Weekdays;
        }

        if (intake.FullDays is { Count: 7 })
        {
            return IntakeHours.AnyTime;
        }

        return intake.SaturdayMorning ? IntakeHours.Residence : IntakeHours.Weekdays;
    }

    /// <summary>The years a deadline from <paramref name="submittedAt"/> may need from the calendar (no statutory time here reaches past the next year).</summary>
    public static IEnumerable<int> YearsFrom(DateTimeOffset submittedAt)
    {
        var year = VietnamTime.DateOf(submittedAt).Year;
        return [year, year + 1];
    }

    public static Deadline Compute(DateTimeOffset submittedAt, ProcessingTime time, IntakeHours intake, CalendarOptions options, WorkingCalendar calendar)
    {
        // Stays are counted, where counted at all, on the residence offices' hours.
        var schedule = IntakeSchedule.For(intake == IntakeHours.Weekdays ? ScheduleKind.Identity : ScheduleKind.Residence, options);
        var started = intake == IntakeHours.AnyTime
            ? options.StayNotification.ReceiptOf(submittedAt)
            : Deadlines.ReceiptOf(submittedAt, schedule, calendar);
        DateTimeOffset? due = time.Kind switch
        {
            ProcessingTimeKind.WorkingDays => Deadlines.DueAfterWorkingDays(started, time.Amount, schedule, calendar, []),
            ProcessingTimeKind.WorkingHours => Deadlines.DueAfterWorkingHours(started, TimeSpan.FromHours((double)time.Amount), schedule, calendar, []),
            ProcessingTimeKind.CalendarDays => AfterCalendarDays(started, (int)decimal.Ceiling(time.Amount), schedule, calendar),
            ProcessingTimeKind.Immediate => started,
            _ => null,
        };
        return new Deadline(started, due);
    }

    private static DateTimeOffset AfterCalendarDays(DateTimeOffset started, int days, IntakeSchedule schedule, WorkingCalendar calendar)
    {
        // Art. 147: the day of receipt is not counted.
        var last = VietnamTime.DateOf(started).AddDays(days);
        while (!calendar.IsWorkingDay(last))
        {
            last = last.AddDays(1);
        }

        return VietnamTime.At(last, schedule.SessionsOn(last, calendar)[^1].End);
    }
}
