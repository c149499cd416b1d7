using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Population.Registry;

/// <summary>Reads the population registry. Every query runs in the database on both providers.</summary>
public sealed class PopulationStore(DvcDbContext db, UnitCache unitCache)
{
    /// <summary>The citizen with this ID number and the <paramref name="parts"/> asked for, in one database command.</summary>
    public Task<CitizenRecord?> FindAsync(string idNumber, CitizenParts parts, CancellationToken cancellationToken)
        => FindOneAsync(db.Set<CitizenRow>().Where(c => c.IdNumber == idNumber), parts, cancellationToken);

    /// <summary>The holder of an old CMND number, or null when no CMND card had it; one database command.</summary>
    public Task<CitizenRecord?> FindByOldNumberAsync(string oldNumber, CitizenParts parts, CancellationToken cancellationToken)
        => FindOneAsync(db.Set<CitizenRow>().Where(c => db.Set<IdentityDocumentRow>().Any(d => d.CitizenId == c.Id && d.Number == oldNumber
            && (d.Kind == IdentityDocumentKind.Cmnd9 || d.Kind == IdentityDocumentKind.Cmnd12))), parts, cancellationToken);

    /// <summary>The id of the unit with this code, or null.</summary>
    public Task<int?> UnitIdAsync(string code, CancellationToken cancellationToken)
        => db.Set<AdministrativeUnitRow>().Where(u => u.Code == code).Select(u => (int?)u.Id).FirstOrDefaultAsync(cancellationToken);

    /// <summary>A page of citizens matching the search, in id order (keyset paging on the id).</summary>
    public async Task<CitizenPage> SearchAsync(CitizenSearch search, int size, long? afterId, CitizenParts parts, CancellationToken cancellationToken)
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
        return new CitizenPage(await ResolveAsync(await WithPartsAsync(page, parts, cancellationToken), cancellationToken), hasMore ? page[^1].Id : null, total);
    }

    // The citizen row and the parts as correlated collections of the same SELECT: EF Core sends one
    // command (LEFT JOINs, ordered), so a lookup costs one round trip whatever it reads. A part not
    // asked for is not in the SQL at all. Two collections multiply rows (cards × periods), a handful each.
    private async Task<CitizenRecord?> FindOneAsync(IQueryable<CitizenRow> citizens, CitizenParts parts, CancellationToken cancellationToken)
    {
        var query = parts switch
        {
            CitizenParts.None => citizens.Select(c => new StoredCitizen { Row = c }),
            CitizenParts.Documents => citizens.Select(c => new StoredCitizen
            {
                Row = c,
                Documents = db.Set<IdentityDocumentRow>().Where(d => d.CitizenId == c.Id).OrderBy(d => d.IssuedOn).ThenBy(d => d.Id).ToList(),
            }),
            CitizenParts.ResidencePeriods => citizens.Select(c => new StoredCitizen
            {
                Row = c,
                Periods = db.Set<ResidenceRecordRow>().Where(r => r.CitizenId == c.Id).OrderBy(r => r.ValidFrom).ThenBy(r => r.Id).ToList(),
            }),
            _ => citizens.Select(c => new StoredCitizen
            {
                Row = c,
                Documents = db.Set<IdentityDocumentRow>().Where(d => d.CitizenId == c.Id).OrderBy(d => d.IssuedOn).ThenBy(d => d.Id).ToList(),
                Periods = db.Set<ResidenceRecordRow>().Where(r => r.CitizenId == c.Id).OrderBy(r => r.ValidFrom).ThenBy(r => r.Id).ToList(),
            }),
        };
        var found = await query.AsNoTracking().AsSingleQuery().FirstOrDefaultAsync(cancellationToken);
        return found is null ? null : (await ResolveAsync([found], cancellationToken))[0];
    }

    // A page of citizens: their parts in one command per part, for all of them at once.
    private async Task<List<StoredCitizen>> WithPartsAsync(List<CitizenRow> rows, CitizenParts parts, CancellationToken cancellationToken)
    {
        var ids = rows.Select(r => r.Id).ToList();
        var documents = ids.Count > 0 && parts.HasFlag(CitizenParts.Documents)
            ? (await db.Set<IdentityDocumentRow>().AsNoTracking().Where(d => ids.Contains(d.CitizenId)).OrderBy(d => d.IssuedOn).ThenBy(d => d.Id)
                .ToListAsync(cancellationToken)).ToLookup(d => d.CitizenId)
            : null;
        var periods = ids.Count > 0 && parts.HasFlag(CitizenParts.ResidencePeriods)
            ? (await db.Set<ResidenceRecordRow>().AsNoTracking().Where(r => ids.Contains(r.CitizenId)).OrderBy(r => r.ValidFrom).ThenBy(r => r.Id)
                .ToListAsync(cancellationToken)).ToLookup(r => r.CitizenId)
            : null;
        return [.. rows.Select(r => new StoredCitizen
        {
            Row = r,
            Documents = documents is null ? [] : [.. documents[r.Id]],
            Periods = periods is null ? [] : [.. periods[r.Id]],
        })];
    }

    private async Task<IReadOnlyList<CitizenRecord>> ResolveAsync(List<StoredCitizen> citizens, CancellationToken cancellationToken)
    {
        var units = new UnitChains(db, unitCache);
        await units.LoadAsync(citizens.SelectMany(c => new int?[]
            {
                c.Row.BirthRegistrationUnitId, c.Row.HometownUnitId, c.Row.PermanentUnitId, c.Row.TemporaryUnitId, c.Row.CurrentUnitId,
            }.Concat(c.Periods.SelectMany(p => new int?[] { p.UnitId, p.RegisteredUnitId })))
            .OfType<int>(), cancellationToken);
        return [.. citizens.Select(c => new CitizenRecord(
            c.Row,
            units.Place(c.Row.BirthRegistrationUnitId, null, string.Empty),
            units.Place(c.Row.HometownUnitId, null, string.Empty),
            units.Place(c.Row.PermanentUnitId, null, c.Row.PermanentAddress),
            c.Row.TemporaryUnitId is { } temporary ? units.Place(temporary, null, c.Row.TemporaryAddress ?? string.Empty) : null,
            units.Place(c.Row.CurrentUnitId, null, c.Row.CurrentAddress),
            c.Documents,
            [.. c.Periods.Select(p => new ResidencePeriod(p.Kind, units.Place(p.UnitId, p.RegisteredUnitId, p.Address), p.ValidFrom, p.ValidTo))]))];
    }

    /// <summary>A citizen's row with the parts read; a part not read stays empty.</summary>
    private sealed class StoredCitizen
    {
        public required CitizenRow Row { get; init; }

        public List<IdentityDocumentRow> Documents { get; init; } = [];

        public List<ResidenceRecordRow> Periods { get; init; } = [];
    }
}

/// <summary>What a search asks for: folded name words (all must appear), birth year and place.</summary>
public sealed record CitizenSearch(IReadOnlyList<string> NameWords, int? BirthYear, int? PlaceUnitId)
{
    /// <summary>A fingerprint of the filter, so a page token is honoured only with the filter it was made for.</summary>
    public string Fingerprint() => $"{string.Join(' ', NameWords)}|{BirthYear}|{PlaceUnitId}";
}

public sealed record CitizenPage(IReadOnlyList<CitizenRecord> Items, long? NextAfterId, int TotalSize);
