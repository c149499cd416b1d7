namespace GrpcDvc.Server.Calendar;

/// <summary>
/// "Dvc:Calendar". Office hours are set by each province (the 40-hour week of Decision
/// 188/1999/QĐ-TTg leaves the clock times to them); 07:30–11:30 and 13:30–17:00 is the common
/// pattern of one-stop desks, so it is the default, and a deployment sets its own.
/// </summary>
public sealed class CalendarOptions
{
    public const string Section = "Dvc:Calendar";

    public SessionHours Morning { get; set; } = new() { Start = new TimeSpan(7, 30, 0), End = new TimeSpan(11, 30, 0) };

    public SessionHours Afternoon { get; set; } = new() { Start = new TimeSpan(13, 30, 0), End = new TimeSpan(17, 0, 0) };

    /// <summary>
    /// The stay-notification rule (thông báo lưu trú, Circular 55/2021/TT-BCA art. 15): made before
    /// <see cref="StayNotificationRule.Cutoff"/> it is received at once; later, at
    /// <see cref="StayNotificationRule.ReceivedBy"/> the next day. Configuration, because the texts it
    /// comes from change on 1 July 2026 (Law 118/2025/QH15 amends art. 30 of the Residence Law;
    /// Circular 116/2026/TT-BCA replaces Circular 55/2021).
    /// </summary>
    public StayNotificationRule StayNotification { get; set; } = new();

    /// <summary>The longest range GetWorkingDays answers, in days.</summary>
    public int MaxRangeDays { get; set; } = 366;

    public void Validate()
    {
        if (!(Morning.Start < Morning.End && Morning.End <= Afternoon.Start && Afternoon.Start < Afternoon.End && Afternoon.End <= TimeSpan.FromDays(1)))
        {
            throw new InvalidOperationException($"{Section}: the morning and afternoon sessions must be ordered, non-empty and within the day.");
        }

        StayNotification.Validate();
    }
}

public sealed class SessionHours
{
    public TimeSpan Start { get; set; }

    public TimeSpan End { get; set; }

    public WorkSession ToSession() => new(Start, End);
}
