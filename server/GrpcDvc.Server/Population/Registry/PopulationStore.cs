using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Population.Registry;

/// <summary>
/// Reads the population registry. Every query runs in the database on both providers, through
/// <see cref="ReadDatabase"/>: on a hot standby when Dvc:Database:ReadConnectionString is set (so a row
/// committed on the primary a moment ago may not be seen yet), else on the primary.
/// </summary>
public sealed class PopulationStore(ReadDatabase reads, UnitCache unitCache, PopulationOptions options)
{
    private readonly DbContext db = reads.Context;

    /// <summary>The citizen with this ID number and the <paramref name="parts"/> asked for, in one database command.</summary>
    public Task<CitizenRecord?> FindAsync(string idNumber, CitizenParts parts, CancellationToken cancellationToken)
        => FindOneAsync(db.Set<CitizenRow>().Where(c => c.IdNumber == idNumber), parts, cancellationToken);

    /// <summary>
    /// The citizens with these ID numbers and the <paramref name="parts"/> asked for, in one database
    /// command (a dossier's declared people, checked together); a number nobody has is absent.
    /// </summary>
    public async Task<IReadOnlyList<CitizenRecord>> FindManyAsync(IReadOnlyCollection<string> idNumbers, CitizenParts parts, CancellationToken cancellationToken)
    {
        if (idNumbers.Count == 0)
        {
            return [];
        }

        var found = await WithParts(db.Set<CitizenRow>().Where(c => idNumbers.Contains(c.IdNumber)), parts)
            .AsNoTracking().AsSingleQuery().ToListAsync(cancellationToken);
        return found.Count == 0 ? [] : await ResolveAsync(found, cancellationToken);
    }

    /// <summary>The holder of an old CMND number, or null when no CMND card had it; one database command.</summary>
    public Task<CitizenRecord?> FindByOldNumberAsync(string oldNumber, CitizenParts parts, CancellationToken cancellationToken)
        => FindOneAsync(db.Set<CitizenRow>().Where(c => db.Set<IdentityDocumentRow>().Any(d => d.CitizenId == c.Id && d.Number == oldNumber
            && (d.Kind == IdentityDocumentKind.Cmnd9 || d.Kind == IdentityDocumentKind.Cmnd12))), parts, cancellationToken);

    /// <summary>The id of the unit with this code, or null.</summary>
    public Task<int?> UnitIdAsync(string code, CancellationToken cancellationToken)
        => db.Set<AdministrativeUnitRow>().Where(u => u.Code == code).Select(u => (int?)u.Id).FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// A page of citizens matching the search, in id order (keyset paging on the id), and how many match,
    /// counted up to <see cref="PopulationOptions.SearchCountLimit"/> (beyond it the total is that limit and
    /// <see cref="CitizenPage.TotalCapped"/> says it is a lower bound). Agency scope is part of the query,
    /// so the page and the total hold only citizens the caller may see.
    /// </summary>
    public async Task<CitizenPage> SearchAsync(CitizenSearch search, int size, long? afterId, CitizenParts parts, CancellationToken cancellationToken)
    {
        if (search.ScopeUnitIds is { Count: 0 } || search.IndexWords.Count == 0)
        {
            return new CitizenPage([], null, 0, TotalCapped: false);
        }

        var matching = Matching(search);
        var limit = Math.Max(options.SearchCountLimit, 1);
        int counted;
        List<CitizenRow> rows;
        if (afterId is { } after)
        {
            // Counting stops at limit + 1 rows: over "nguyen" (38% of the country) an exact count reads millions.
            counted = await matching.Take(limit + 1).CountAsync(cancellationToken);
            // One extra row tells whether another page follows.
            rows = await matching.Where(c => c.Id > after).OrderBy(c => c.Id).Take(size + 1).ToListAsync(cancellationToken);
        }
        else
        {
            // The first page, the one nearly every search stops at: one pass over the index gives the
            // ids of the page and the (capped) count together, then the page's rows are read by id.
            var ids = await matching.OrderBy(c => c.Id).Select(c => c.Id).Take(Math.Max(limit, size) + 1).ToListAsync(cancellationToken);
            counted = Math.Min(ids.Count, limit + 1);
            var pageIds = ids.Take(size + 1).ToList();
            rows = pageIds.Count == 0 ? [] : await db.Set<CitizenRow>().AsNoTracking().Where(c => pageIds.Contains(c.Id)).OrderBy(c => c.Id)
                .ToListAsync(cancellationToken);
        }

        var hasMore = rows.Count > size;
        var page = hasMore ? rows.GetRange(0, size) : rows;
        return new CitizenPage(await ResolveAsync(await WithPartsAsync(page, parts, cancellationToken), cancellationToken), hasMore ? page[^1].Id : null,
            Math.Min(counted, limit), TotalCapped: counted > limit);
    }

    // The citizens the search matches, through the provider's name-search index (CitizenSearchIndex).
    // Only parameters carry the request's values; the SQL text is made of constants.
    private IQueryable<CitizenRow> Matching(CitizenSearch search)
    {
        var citizens = db.Set<CitizenRow>();
        if (db.Database.IsNpgsql())
        {
            // Every filter is a key of the GIN index: the name words' prefixes (qualified by the birth
            // year when there is one, the rarest keys the index has), the birth year, the place.
            var keys = CitizenSearchIndex.SearchKeys(search.IndexWords, search.BirthYear, search.PlaceUnitId);
            var sql = $"SELECT * FROM {PopulationSchema.Citizens} c WHERE {CitizenSearchIndex.KeysOfC} @> {{0}}";
            if (search.ScopeUnitIds is not { } scope)
            {
                // Boxed on purpose: a string[] given alone would be taken for the params array itself.
                return citizens.FromSqlRaw(sql, (object)keys).AsNoTracking();
            }

            var scoped = $"{sql} AND {CitizenSearchIndex.KeysOfC} && {{1}}";
            return citizens.FromSqlRaw(scoped, keys, scope.Select(CitizenSearchIndex.LivesKey).ToArray()).AsNoTracking();
        }

        var match = CitizenSearchIndex.FtsMatch(search.IndexWords);
        var fts = $"SELECT * FROM {PopulationSchema.Citizens} WHERE id IN (SELECT rowid FROM {CitizenSearchIndex.FtsTable} WHERE {CitizenSearchIndex.FtsTable} MATCH {{0}})";
        var query = citizens.FromSqlRaw(fts, match).AsNoTracking();
        if (search.BirthYear is { } year)
        {
            query = query.Where(c => c.BirthYear == year);
        }

        if (search.PlaceUnitId is { } place)
        {
            query = query.Where(c => c.CurrentProvinceId == place || c.CurrentUnitId == place || c.PermanentUnitId == place
                || c.TemporaryUnitId == place || c.BirthRegistrationUnitId == place);
        }

        if (search.ScopeUnitIds is { } units)
        {
            var ids = units.ToArray();
            query = query.Where(c => ids.Contains(c.PermanentUnitId) || ids.Contains(c.CurrentUnitId)
                || (c.TemporaryUnitId != null && ids.Contains(c.TemporaryUnitId.Value)));
        }

        return query;
    }

    // The citizen row and the parts as correlated collections of the same SELECT: EF Core sends one
    // command (LEFT JOINs, ordered), so a lookup costs one round trip whatever it reads. A part not
    // asked for is not in the SQL at all. Two collections multiply rows (cards × periods), a handful each.
    private async Task<CitizenRecord?> FindOneAsync(IQueryable<CitizenRow> citizens, CitizenParts parts, CancellationToken cancellationToken)
    {
        var found = await WithParts(citizens, parts).AsNoTracking().AsSingleQuery().FirstOrDefaultAsync(cancellationToken);
        return found is null ? null : (await ResolveAsync([found], cancellationToken))[0];
    }

    // The citizens with their parts, read in the same command as their rows.
    private IQueryable<StoredCitizen> WithParts(IQueryable<CitizenRow> citizens, CitizenParts parts) => parts switch
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

/// <summary>
/// What a search asks for: folded name words (each must start a word of the name), birth year, place,
/// and the units of residence the caller's agency scope covers (null: no limit, an official of the
/// Ministry or a caller who is no official).
/// </summary>
public sealed record CitizenSearch(IReadOnlyList<string> NameWords, int? BirthYear, int? PlaceUnitId, IReadOnlyCollection<int>? ScopeUnitIds = null)
{
    /// <summary>
    /// The words the index is asked for: a word that starts another word of the query adds nothing
    /// ("ng nguyen" asks what "nguyen" asks), so it is left out, and so are repeats. Fewer keys, and
    /// no pair of keys the planner would take for independent when one implies the other.
    /// </summary>
    public IReadOnlyList<string> IndexWords { get; } = [.. NameWords.Distinct(StringComparer.Ordinal)
        .Where(word => !NameWords.Any(other => other.Length > word.Length && other.StartsWith(word, StringComparison.Ordinal)))];

    /// <summary>A fingerprint of the filter, so a page token is honoured only with the filter it was made for.</summary>
    public string Fingerprint() => $"{string.Join(' ', NameWords)}|{BirthYear}|{PlaceUnitId}";
}

/// <summary>A page of a search; <paramref name="TotalSize"/> is a lower bound when <paramref name="TotalCapped"/>.</summary>
public sealed record CitizenPage(IReadOnlyList<CitizenRecord> Items, long? NextAfterId, int TotalSize, bool TotalCapped);
