namespace GrpcDvc.Server.Calendar;

/// <summary>One year's holidays and declared working days; <paramref name="Fixed"/> when they come from the table, not the rules.</summary>
public sealed record CalendarYear(int Year, bool Fixed, string Source, IReadOnlyList<CalendarDay> Days);
