using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Population;

/// <summary>
/// Puts the real provinces of the data file into <c>administrative_units</c>. Units missing by id
/// are added and existing ones are left alone. It runs at every start, and a second run changes nothing.
/// </summary>
public static class AdministrativeUnitSeeder
{
    public static async Task<int> SeedAsync(DvcDbContext db, IEnumerable<AdministrativeUnitRow> units, CancellationToken cancellationToken)
    {
        var set = db.Set<AdministrativeUnitRow>();
        var known = (await set.Select(u => u.Id).ToListAsync(cancellationToken)).ToHashSet();
        var added = 0;
        foreach (var unit in units.Where(u => !known.Contains(u.Id)))
        {
            set.Add(unit);
            added++;
        }

        if (added > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }

        return added;
    }
}
