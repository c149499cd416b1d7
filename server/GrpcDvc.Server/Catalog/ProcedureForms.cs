using GrpcDvc.Server.Catalog.Forms;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Catalog;

/// <summary>
/// <see cref="IProcedureForms"/> over the catalog tables: the procedure's dated terms and its form's
/// definition, parsed once a minute at most (<see cref="CatalogCache"/>); the terms in force are
/// picked for the date of each call.
/// </summary>
public sealed class ProcedureForms(DvcDbContext db, CatalogCache cache) : IProcedureForms
{
    public async Task<ProcedureForm?> FindForProcedureAsync(string procedureCode, DateOnly onDate, CancellationToken ct)
    {
        if (!cache.Terms.TryGet(procedureCode, out var cached))
        {
            cached = await ReadAsync(procedureCode, ct);
            cache.Terms.Set(procedureCode, cached);
        }

        if (cached is null)
        {
            return null;
        }

        if (cached.Terms is not { } terms)
        {
            // Only between the migration and the seeder's first run: nothing is known yet.
            return new ProcedureForm(cached.Code, null, ProcessingTimeTerms.UnknownOn(onDate), FeeTerms.UnknownOn(onDate, []))
            {
                OnDate = onDate,
                OnlineFormNote = "The procedure's terms have not been loaded yet.",
            };
        }

        return new ProcedureForm(cached.Code, cached.Form, terms.TimeOn(onDate), terms.FeesOn(onDate))
        {
            OnDate = onDate,
            OnlineFormNote = terms.OnlineForm.NoteEn,
        };
    }

    private async Task<CatalogCache.CachedTerms?> ReadAsync(string procedureCode, CancellationToken ct)
    {
        var row = await db.Procedures().AsNoTracking()
            .Where(p => p.Code == procedureCode)
            .Select(p => new { p.Code, p.TermsJson })
            .FirstOrDefaultAsync(ct);
        if (row is null)
        {
            return null;
        }

        if (row.TermsJson is null)
        {
            return new CatalogCache.CachedTerms(row.Code, null, null);
        }

        var terms = ProcedureTermsData.Parse(row.TermsJson);
        FormDefinition? form = null;
        if (terms.OnlineForm is { Known: true, FormCode: { } formCode })
        {
            var json = await db.Forms().AsNoTracking().Where(f => f.Code == formCode).Select(f => f.DefinitionJson).FirstOrDefaultAsync(ct)
                ?? throw new InvalidDataException($"Procedure {row.Code} names form {formCode}, which the catalog does not hold.");
            form = FormData.Parse(json).ToDefinition();
        }

        return new CatalogCache.CachedTerms(row.Code, terms, form);
    }
}
