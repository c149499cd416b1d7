namespace GrpcDvc.Server.Calendar;

/// <summary>
/// A time the statutory clock stands still, [From, Until): the agency waits for the citizen's
/// supplement (bổ sung hồ sơ), and that wait is not the agency's time.
/// </summary>
public sealed record ClockStop(DateTimeOffset From, DateTimeOffset Until)
{
    public bool Overlaps(DateTimeOffset start, DateTimeOffset end) => From < end && start < Until;
}
