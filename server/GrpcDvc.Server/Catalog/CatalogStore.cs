using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Catalog;

/// <summary>Reads the catalog. Filtering and paging run in the database on both providers.</summary>
public sealed class CatalogStore(DvcDbContext db, CatalogCache cache)
{
    public Task<bool> AgencyLevelExistsAsync(string code, CancellationToken cancellationToken)
        => db.AgencyLevels().AnyAsync(l => l.Code == code, cancellationToken);

    public Task<List<AgencyLevelRecord>> AgencyLevelsAsync(CancellationToken cancellationToken)
        => db.AgencyLevels().AsNoTracking().OrderBy(l => l.Rank).ToListAsync(cancellationToken);

    /// <summary>One procedure with its agency levels, from <see cref="CatalogCache"/> when read in the last minute (shared: do not modify it).</summary>
    public async Task<ProcedureRecord?> FindAsync(string code, CancellationToken cancellationToken)
    {
        if (cache.Procedures.TryGet(code, out var known))
        {
            return known;
        }

        var row = await db.Procedures().AsNoTracking().Include(p => p.AgencyLevels)
            .FirstOrDefaultAsync(p => p.Code == code, cancellationToken);
        cache.Procedures.Set(code, row);
        return row;
    }

    public async Task<ProcedurePage> ListAsync(ProcedureFilter filter, PageCursor cursor, CancellationToken cancellationToken)
    {
        var query = db.Procedures().AsNoTracking();
        if (filter.ServiceLevel is { } level)
        {
            query = query.Where(p => p.ServiceLevel == level);
        }

        if (filter.Field is { } field)
        {
            query = query.Where(p => p.Field == field);
        }

        if (filter.AgencyLevel is { } agencyLevel)
        {
            query = query.Where(p => p.AgencyLevels.Any(l => l.AgencyLevelCode == agencyLevel));
        }

        foreach (var word in filter.Words)
        {
            query = query.Where(p => p.SearchText.Contains(word));
        }

        var total = await query.CountAsync(cancellationToken);
        if (cursor.AfterCode is { } after)
        {
            query = query.Where(p => string.Compare(p.Code, after) > 0);
        }

        // One extra row tells whether another page follows without a second count.
        var rows = await query.OrderBy(p => p.Code).Take(cursor.Size + 1)
            .Include(p => p.AgencyLevels)
            .ToListAsync(cancellationToken);
        var hasMore = rows.Count > cursor.Size;
        var items = hasMore ? rows.GetRange(0, cursor.Size) : rows;
        return new ProcedurePage(items, hasMore ? items[^1].Code : null, total);
    }
}
