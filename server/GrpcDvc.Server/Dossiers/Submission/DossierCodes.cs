using System.Globalization;
using GrpcDvc.Server.Calendar;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Dossiers.Submission;

/// <summary>
/// Dossier codes, <c>unit code-YYMMDD-NNNN</c> (Circular 01/2018/TT-VPCP art. 19): the receiving
/// unit, the submission's date in Vietnam, and the unit's sequence of that day. The number comes
/// from one statement on dossier_code_counters inside the submission's transaction (an upsert that
/// returns the row's new value): the counter row stays locked until the transaction ends, so
/// concurrent submissions to one unit take consecutive numbers, and a submission that rolls back
/// takes its number back with it (no gap). Past 9,999 in a day the number simply grows a fifth
/// digit: a code stays unique (unit, day and number are), and no citizen is refused for a busy day.
/// </summary>
public static class DossierCodes
{
    /// <summary>The next number of <paramref name="unitCode"/> on <paramref name="day"/>; call it inside the submission's transaction.</summary>
    /// <remarks>Through EF Core (its interceptors and logging see it, as they see the submission's other commands), run as written: not composed.</remarks>
    public static async Task<int> NextNumberAsync(DvcDbContext db, string unitCode, DateOnly day, CancellationToken cancellationToken)
    {
        _ = db.Database.CurrentTransaction
            ?? throw new InvalidOperationException("A dossier number is allocated inside the submission's transaction.");
        var numbers = await db.Database.SqlQuery<int>($"""
            INSERT INTO dossier_code_counters (unit_code, day, last_number) VALUES ({unitCode}, {DayKey(day)}, 1)
            ON CONFLICT (unit_code, day) DO UPDATE SET last_number = dossier_code_counters.last_number + 1
            RETURNING last_number AS "Value"
            """).ToListAsync(cancellationToken);
        return numbers.Single();
    }

    /// <summary>The code of the <paramref name="number"/>th dossier of the unit on the day; four digits at least.</summary>
    public static string Format(string unitCode, DateOnly day, int number)
        => string.Create(CultureInfo.InvariantCulture, $"{unitCode}-{day:yyMMdd}-{number:D4}");

    /// <summary>The submission's date in Vietnam.</summary>
    public static DateOnly DayOf(DateTimeOffset submittedAt) => VietnamTime.DateOf(submittedAt);

    /// <summary>yyyymmdd, the counter's key.</summary>
    public static int DayKey(DateOnly day) => (day.Year * 10000) + (day.Month * 100) + day.Day;
}
