namespace GrpcDvc.Server.Calendar;

/// <summary>
/// Stores the data file's announced years that the table does not have yet. A year already there is
/// left alone, whatever the file says: administrators may have edited it, and their edits win.
/// </summary>
public static class CalendarSeeder
{
    public static async Task<int> SeedAsync(CalendarStore store, CalendarData data, CancellationToken cancellationToken)
    {
        var added = 0;
        foreach (var year in data.Years)
        {
            if (await store.FixYearAsync(year, cancellationToken))
            {
                added++;
            }
        }

        return added;
    }
}
