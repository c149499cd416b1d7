namespace GrpcDvc.Server.Calendar;

/// <summary>What the calendar says about a date, beyond its weekday.</summary>
public enum DayKind
{
    /// <summary>A public holiday or a day off in lieu (nghỉ lễ, nghỉ bù, a swapped day off): no work.</summary>
    Holiday = 1,

    /// <summary>A rest day declared a working day (làm bù), e.g. a Saturday worked to bridge a holiday.</summary>
    WorkingDay = 2,
}

/// <summary>A dated entry of the calendar: holiday or declared working day, with its names and where it comes from.</summary>
public sealed record CalendarDay(DateOnly Date, DayKind Kind, string NameVi, string NameEn, string Source);
