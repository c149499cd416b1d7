using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Population.Registry;

/// <summary>Reads the population registry. Every query runs in the database on both providers.</summary>
public sealed class PopulationStore(DvcDbContext db, UnitCache unitCache)
{
    public async Task<CitizenRecord?> FindAsync(string idNumber, CancellationToken cancellationToken)
    {
        var row = await db.Set<CitizenRow>().AsNoTracking().FirstOrDefaultAsync(c => c.IdNumber == idNumber, cancellationToken);
        return row is null ? null : (await ResolveAsync([row], cancellationToken))[0];
    }

    /// <summary>The holder of an old CMND number, or null when no CMND card had it.</summary>
    public async Task<CitizenRecord?> FindByOldNumberAsync(string oldNumber, CancellationToken cancellationToken)
    {
        var citizenId = await db.Set<IdentityDocumentRow>().AsNoTracking()
            .Where(d => d.Number == oldNumber && (d.Kind == IdentityDocumentKind.Cmnd9 || d.Kind == IdentityDocumentKind.Cmnd12))
            .Select(d => (long?)d.CitizenId).FirstOrDefaultAsync(cancellationToken);
        if (citizenId is null)
        {
            return null;
        }

        var row = await db.Set<CitizenRow>().AsNoTracking().FirstAsync(c => c.Id == citizenId, cancellationToken);
        return (await ResolveAsync([row], cancellationToken))[0];
    }

    /// <summary>The id of the unit with this code, or null.</summary>
    public Task<int?> UnitIdAsync(string code, CancellationToken cancellationToken)
        => db.Set<AdministrativeUnitRow>().Where(u => u.Code == code).Select(u => (int?)u.Id).FirstOrDefaultAsync(cancellationToken);

    /// <summary>A page of citizens matching the search, in id order (keyset paging on the id).</summary>
    public async Task<CitizenPage> SearchAsync(CitizenSearch search, int size, long? afterId, CancellationToken cancellationToken)
    {
        var query = db.Set<CitizenRow>().AsNoTracking();
        foreach (var word in search.NameWords)
        {
            query = query.Where(c => c.FoldedName.Contains(word));
        }

        if (search.BirthYear is { } year)
        {
            query = query.Where(c => c.BirthYear == year);
        }

        if (search.PlaceUnitId is { } place)
        {
            query = query.Where(c => c.CurrentProvinceId == place || c.CurrentUnitId == place || c.PermanentUnitId == place
                || c.TemporaryUnitId == place || c.BirthRegistrationUnitId == place);
        }

        var total = await query.CountAsync(cancellationToken);
        if (afterId is { } after)
        {
            query = query.Where(c => c.Id > after);
        }

        // One extra row tells whether another page follows.
        var rows = await query.OrderBy(c => c.Id).Take(size + 1).ToListAsync(cancellationToken);
        var hasMore = rows.Count > size;
        var page = hasMore ? rows.GetRange(0, size) : rows;
        return new CitizenPage(await ResolveAsync(page, cancellationToken), hasMore ? page[^1].Id : null, total);
    }

    private async Task<IReadOnlyList<CitizenRecord>> ResolveAsync(List<CitizenRow> rows, CancellationToken cancellationToken)
    {
        var ids = rows.Select(r => r.Id).ToList();
        var documents = (await db.Set<IdentityDocumentRow>().AsNoTracking().Where(d => ids.Contains(d.CitizenId))
            .ToListAsync(cancellationToken)).OrderBy(d => d.IssuedOn).ToLookup(d => d.CitizenId);
        var periods = (await db.Set<ResidenceRecordRow>().AsNoTracking().Where(r => ids.Contains(r.CitizenId))
            .ToListAsync(cancellationToken)).OrderBy(r => r.ValidFrom).ToLookup(r => r.CitizenId);
        var units = new UnitChains(db, unitCache);
        await units.LoadAsync(rows.SelectMany(r => new int?[]
            {
                r.BirthRegistrationUnitId, r.HometownUnitId, r.PermanentUnitId, r.TemporaryUnitId, r.CurrentUnitId,
            }).Concat(periods.SelectMany(g => g).SelectMany(p => new int?[] { p.UnitId, p.RegisteredUnitId }))
            .OfType<int>(), cancellationToken);
        return [.. rows.Select(r => new CitizenRecord(
            r,
            units.Place(r.BirthRegistrationUnitId, null, string.Empty),
            units.Place(r.HometownUnitId, null, string.Empty),
            units.Place(r.PermanentUnitId, null, r.PermanentAddress),
            r.TemporaryUnitId is { } temporary ? units.Place(temporary, null, r.TemporaryAddress ?? string.Empty) : null,
            units.Place(r.CurrentUnitId, null, r.CurrentAddress),
            [.. documents[r.Id]],
            [.. periods[r.Id].Select(p => new ResidencePeriod(p.Kind, units.Place(p.UnitId, p.RegisteredUnitId, p.Address), p.ValidFrom, p.ValidTo))]))];
    }
}

/// <summary>What a search asks for: folded name words (all must appear), birth year and place.</summary>
public sealed record CitizenSearch(IReadOnlyList<string> NameWords, int? BirthYear, int? PlaceUnitId)
{
    /// <summary>A fingerprint of the filter, so a page token is honoured only with the filter it was made for.</summary>
    public string Fingerprint() => $"{string.Join(' ', NameWords)}|{BirthYear}|{PlaceUnitId}";
}

public sealed record CitizenPage(IReadOnlyList<CitizenRecord> Items, long? NextAfterId, int TotalSize);
