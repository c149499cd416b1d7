namespace GrpcDvc.Server.Calendar;

/// <summary>
/// Civil time in Vietnam: Asia/Ho_Chi_Minh, UTC+7 without daylight saving. Working hours, receipt
/// and deadlines are rules about local days and clock times; instants stay UTC everywhere else.
/// </summary>
public static class VietnamTime
{
    /// <summary>The IANA zone (on Linux from tzdata; ICU maps it elsewhere). Its offset has been +7 since 1975.</summary>
    public static TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");

    public static DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(ToLocal(instant).DateTime);

    /// <summary>The instant of a local clock time on a local date.</summary>
    public static DateTimeOffset At(DateOnly date, TimeSpan timeOfDay)
    {
        var local = date.ToDateTime(TimeOnly.MinValue) + timeOfDay;
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }
}
