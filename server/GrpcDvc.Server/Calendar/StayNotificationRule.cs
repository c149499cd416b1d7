namespace GrpcDvc.Server.Calendar;

/// <summary>
/// When a stay notification counts as received. A notification is due before 23:00 of the first day
/// of stay; a guest arriving after 23:00 is notified before 08:00 the next day (Circular
/// 55/2021/TT-BCA art. 15; the ministry's guidance for online services reads it as: made before 23:00,
/// received at once; made after, received by 08:00 the next day). It is not a working-hours rule:
/// stays are notified every day of the week, holidays included.
/// </summary>
public sealed class StayNotificationRule
{
    public TimeSpan Cutoff { get; set; } = new(23, 0, 0);

    public TimeSpan ReceivedBy { get; set; } = new(8, 0, 0);

    public DateTimeOffset ReceiptOf(DateTimeOffset madeAt)
    {
        var local = VietnamTime.ToLocal(madeAt);
        return local.TimeOfDay < Cutoff ? madeAt : VietnamTime.At(DateOnly.FromDateTime(local.DateTime).AddDays(1), ReceivedBy);
    }

    public void Validate()
    {
        if (Cutoff <= TimeSpan.Zero || Cutoff > TimeSpan.FromDays(1) || ReceivedBy < TimeSpan.Zero || ReceivedBy >= TimeSpan.FromDays(1))
        {
            throw new InvalidOperationException($"{CalendarOptions.Section}:StayNotification: Cutoff must be within (0, 24h] and ReceivedBy within [0, 24h).");
        }
    }
}
