using GrpcDvc.Server.Calendar;
using GrpcDvc.Server.Catalog;

namespace GrpcDvc.Server.Dossiers.Processing;

/// <summary>
/// The due date of a dossier after its clock stopped and ran again: the catalog's statutory time,
/// counted from when the clock started, in the office sessions of the procedure's schedule, without
/// the stopped time (Calendar/Deadlines). Procedures the catalog gives no time in working days or
/// hours (unknown, or "immediate") keep the due date they had.
/// </summary>
public sealed class DossierDeadline(CalendarStore calendar, CalendarOptions options)
{
    /// <param name="lastStop">The stop that just ended: a time in calendar days moves on by its length.</param>
    public async Task<DateTimeOffset?> RecomputeAsync(DossierRecord dossier, ProcedureRecord procedure, IReadOnlyList<ClockStop> stops, TimeSpan lastStop, CancellationToken cancellationToken)
    {
        if (!procedure.ProcessingTimeKnown || procedure.ProcessingTimeAmount is not { } amount || amount <= 0)
        {
            return dossier.DueAt;
        }

        var schedule = IntakeSchedule.For(ScheduleOf(procedure), options);
        var start = dossier.ClockStartedAt;
        // The years the count may reach: the statutory time is weeks at most, counted after the last stop.
        var resumed = stops.Select(s => s.Until).Append(start).Max();
        var lastYear = (resumed + TimeSpan.FromDays(400)).Year;
        var working = await calendar.WorkingCalendarAsync(Enumerable.Range(start.Year, lastYear - start.Year + 1), cancellationToken);
        return procedure.ProcessingTimeUnit switch
        {
            "working_days" => Deadlines.DueAfterWorkingDays(start, amount, schedule, working, stops),
            "working_hours" => Deadlines.DueAfterWorkingHours(start, TimeSpan.FromHours((double)amount), schedule, working, stops),
            "calendar_days" => dossier.DueAt + lastStop,
            _ => dossier.DueAt,
        };
    }

    /// <summary>Residence offices also work Saturday mornings; every other procedure follows the weekday hours.</summary>
    public static ScheduleKind ScheduleOf(ProcedureRecord procedure)
        => procedure.Field == "residence" ? ScheduleKind.Residence : ScheduleKind.Identity;
}
