using GrpcDvc.Server.Storage;

namespace GrpcDvc.Server.Calendar;

/// <summary>
/// Calendar years as last read, for a minute: every submission computes a due date over one or two
/// years, and the holidays change a few times a year. An administrator's change drops the year here
/// at once; other instances see it within <see cref="Lifetime"/>.
/// </summary>
public sealed class CalendarCache(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    internal BoundedCache<int, CalendarYear> Years { get; } = new(64, Lifetime, time);

    internal void Forget(int year) => Years.Remove(year);
}
