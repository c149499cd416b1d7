using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace GrpcDvc.Server.Calendar;

/// <summary>
/// A year whose calendar is fixed in the table: seeded from an announcement, or first edited by an
/// administrator (who then starts from the generated defaults). A year without a row is generated from the rules.
/// </summary>
public sealed class CalendarYearRecord
{
    public int Year { get; set; }

    public required string Source { get; set; }

    public DateTimeOffset FixedAt { get; set; }
}

/// <summary>A holiday or declared working day of a fixed year.</summary>
public sealed class CalendarDayRecord
{
    public DateOnly Date { get; set; }

    /// <summary>"holiday" or "working_day" (<see cref="CalendarDayKinds"/>).</summary>
    public required string Kind { get; set; }

    public required string NameVi { get; set; }

    public required string NameEn { get; set; }

    public required string Source { get; set; }

    public DateTimeOffset ChangedAt { get; set; }

    /// <summary>The administrator's account; null for seeded and generated rows.</summary>
    public Guid? ChangedBy { get; set; }
}

/// <summary>Every administrator's change to the calendar, appended and never updated: who, when, what the date became.</summary>
public sealed class CalendarChangeRecord
{
    public long Id { get; set; }

    public DateTimeOffset ChangedAt { get; set; }

    public Guid ChangedBy { get; set; }

    /// <summary>"set" or "remove".</summary>
    public required string Action { get; set; }

    public DateOnly Date { get; set; }

    /// <summary>The entry after a set, before a remove; null when a remove found nothing.</summary>
    public string? Kind { get; set; }

    public string? NameVi { get; set; }

    public string? Source { get; set; }
}

public static class CalendarDayKinds
{
    public const string Holiday = "holiday";
    public const string WorkingDay = "working_day";

    public static string Name(DayKind kind) => kind == DayKind.WorkingDay ? WorkingDay : Holiday;

    public static DayKind Parse(string name) => name == WorkingDay ? DayKind.WorkingDay : DayKind.Holiday;
}

/// <summary>
/// Dates are stored as yyyymmdd integers: readable in a dump, ordered and range-queried by the
/// database on both providers, with no date type SQLite lacks.
/// </summary>
internal sealed class DateNumberConverter() : ValueConverter<DateOnly, int>(
    date => (date.Year * 10000) + (date.Month * 100) + date.Day,
    value => new DateOnly(value / 10000, value / 100 % 100, value % 100))
{
    public static int ToNumber(DateOnly date) => (date.Year * 10000) + (date.Month * 100) + date.Day;
}

internal sealed class CalendarYearMapping : IEntityTypeConfiguration<CalendarYearRecord>
{
    public void Configure(EntityTypeBuilder<CalendarYearRecord> builder)
    {
        builder.ToTable("calendar_years");
        builder.HasKey(y => y.Year);
        builder.Property(y => y.Year).ValueGeneratedNever();
    }
}

internal sealed class CalendarDayMapping : IEntityTypeConfiguration<CalendarDayRecord>
{
    public void Configure(EntityTypeBuilder<CalendarDayRecord> builder)
    {
        builder.ToTable("calendar_days");
        builder.HasKey(d => d.Date);
        builder.Property(d => d.Date).HasConversion<DateNumberConverter>().ValueGeneratedNever();
    }
}

internal sealed class CalendarChangeMapping : IEntityTypeConfiguration<CalendarChangeRecord>
{
    public void Configure(EntityTypeBuilder<CalendarChangeRecord> builder)
    {
        builder.ToTable("calendar_changes");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Date).HasConversion<DateNumberConverter>();
    }
}

/// <summary>The calendar's tables in the shared context.</summary>
public static class CalendarTables
{
    public static DbSet<CalendarYearRecord> CalendarYears(this DvcDbContext db) => db.Set<CalendarYearRecord>();

    public static DbSet<CalendarDayRecord> CalendarDays(this DvcDbContext db) => db.Set<CalendarDayRecord>();

    public static DbSet<CalendarChangeRecord> CalendarChanges(this DvcDbContext db) => db.Set<CalendarChangeRecord>();
}
