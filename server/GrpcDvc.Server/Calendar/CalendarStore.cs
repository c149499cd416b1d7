using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Calendar;

/// <summary>
/// The stored calendar. A fixed year is read from the table as it is; any other year is generated
/// from the rules. The first administrator's change to a year that is not fixed stores the year's
/// generated days first, so the change edits the defaults instead of replacing them all.
/// </summary>
public sealed class CalendarStore(DvcDbContext db, CalendarRules rules, CalendarCache cache, TimeProvider time)
{
    /// <summary>A year's days, from <see cref="CalendarCache"/> when read in the last minute.</summary>
    public async Task<CalendarYear> YearAsync(int year, CancellationToken cancellationToken)
    {
        if (cache.Years.TryGet(year, out var known))
        {
            return known;
        }

        var read = await ReadYearAsync(year, cancellationToken);
        cache.Years.Set(year, read);
        return read;
    }

    private async Task<CalendarYear> ReadYearAsync(int year, CancellationToken cancellationToken)
    {
        var fixedYear = await db.CalendarYears().AsNoTracking().FirstOrDefaultAsync(y => y.Year == year, cancellationToken);
        if (fixedYear is null)
        {
            return new CalendarYear(year, false, HolidayGenerator.GeneratedSource, rules.DefaultsFor(year));
        }

        var (from, until) = Bounds(year);
        var rows = await db.CalendarDays().AsNoTracking().Where(d => d.Date >= from && d.Date <= until).OrderBy(d => d.Date).ToListAsync(cancellationToken);
        return new CalendarYear(year, true, fixedYear.Source, [.. rows.Select(ToDay)]);
    }

    /// <summary>The working calendar for the given years (few: a query range or a deadline's horizon).</summary>
    public async Task<WorkingCalendar> WorkingCalendarAsync(IEnumerable<int> years, CancellationToken cancellationToken)
    {
        var list = years.Distinct().ToList();
        var days = new List<CalendarDay>();
        foreach (var year in list)
        {
            days.AddRange((await YearAsync(year, cancellationToken)).Days);
        }

        return new WorkingCalendar(list, days);
    }

    /// <summary>Sets the date's entry; false when it already was exactly that (a retry changes nothing and logs nothing).</summary>
    public async Task<bool> SetAsync(CalendarDay day, Guid administrator, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await FixYearAsync(day.Date.Year, cancellationToken);
        var now = time.GetUtcNow();
        var kind = CalendarDayKinds.Name(day.Kind);
        var row = await db.CalendarDays().FirstOrDefaultAsync(d => d.Date == day.Date, cancellationToken);
        if (row is not null && row.Kind == kind && row.NameVi == day.NameVi && row.NameEn == day.NameEn && row.Source == day.Source)
        {
            await transaction.CommitAsync(cancellationToken);
            return false;
        }

        if (row is null)
        {
            row = new CalendarDayRecord { Date = day.Date, Kind = kind, NameVi = day.NameVi, NameEn = day.NameEn, Source = day.Source };
            db.CalendarDays().Add(row);
        }

        (row.Kind, row.NameVi, row.NameEn, row.Source, row.ChangedAt, row.ChangedBy) = (kind, day.NameVi, day.NameEn, day.Source, now, administrator);
        db.CalendarChanges().Add(new CalendarChangeRecord { ChangedAt = now, ChangedBy = administrator, Action = "set", Date = day.Date, Kind = kind, NameVi = day.NameVi, Source = day.Source });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        cache.Forget(day.Date.Year);
        return true;
    }

    /// <summary>Makes the date an ordinary day again; false when it already was.</summary>
    public async Task<bool> RemoveAsync(DateOnly date, Guid administrator, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await FixYearAsync(date.Year, cancellationToken);
        var row = await db.CalendarDays().FirstOrDefaultAsync(d => d.Date == date, cancellationToken);
        if (row is null)
        {
            await transaction.CommitAsync(cancellationToken);
            return false;
        }

        db.CalendarDays().Remove(row);
        db.CalendarChanges().Add(new CalendarChangeRecord
        {
            ChangedAt = time.GetUtcNow(), ChangedBy = administrator, Action = "remove", Date = date, Kind = row.Kind, NameVi = row.NameVi, Source = row.Source,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        cache.Forget(date.Year);
        return true;
    }

    /// <summary>Stores a year's data as fixed, unless it already is; returns whether it did.</summary>
    public async Task<bool> FixYearAsync(CalendarYearData year, CancellationToken cancellationToken)
    {
        if (await db.CalendarYears().AnyAsync(y => y.Year == year.Year, cancellationToken))
        {
            return false;
        }

        var now = time.GetUtcNow();
        db.CalendarYears().Add(new CalendarYearRecord { Year = year.Year, Source = year.Source, FixedAt = now });
        foreach (var day in year.Days)
        {
            if (day.Date.Year != year.Year)
            {
                throw new InvalidDataException($"Calendar year {year.Year} lists {day.Date:yyyy-MM-dd}.");
            }

            db.CalendarDays().Add(new CalendarDayRecord
            {
                Date = day.Date, Kind = CalendarDayKinds.Name(day.Kind), NameVi = day.NameVi, NameEn = day.NameEn, Source = day.Source, ChangedAt = now,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        cache.Forget(year.Year);
        return true;
    }

    private Task<bool> FixYearAsync(int year, CancellationToken cancellationToken)
        => FixYearAsync(new CalendarYearData(year, $"{HolidayGenerator.GeneratedSource}; then edited by an administrator", rules.DefaultsFor(year)), cancellationToken);

    private static (DateOnly From, DateOnly Until) Bounds(int year) => (new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));

    private static CalendarDay ToDay(CalendarDayRecord r) => new(r.Date, CalendarDayKinds.Parse(r.Kind), r.NameVi, r.NameEn, r.Source);
}
