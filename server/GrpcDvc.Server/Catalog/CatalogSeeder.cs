using System.Text.Json;
using GrpcDvc.Server.Calendar;
using GrpcDvc.Server.Storage;
using GrpcDvc.Server.Text;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Catalog;

/// <summary>
/// Puts the data files' agency levels, procedures and forms into the database: entries missing by
/// code are added, existing ones are left as they are (administrators may have edited them). A
/// procedure stored before dated terms existed gets them once (its terms_json is null until then).
/// Runs at every start; a second run changes nothing.
/// </summary>
public static class CatalogSeeder
{
    public static string DefaultDataPath => Path.Combine(AppContext.BaseDirectory, "Catalog", "Data", "procedures.json");

    /// <summary>Seeds procedures with today's date (Vietnam) for the first-schema columns.</summary>
    public static Task<int> SeedAsync(DvcDbContext db, CatalogData data, CancellationToken cancellationToken)
        => SeedAsync(db, data, VietnamTime.DateOf(DateTimeOffset.UtcNow), cancellationToken);

    public static async Task<int> SeedAsync(DvcDbContext db, CatalogData data, DateOnly today, CancellationToken cancellationToken)
    {
        var knownLevels = await db.AgencyLevels().Select(l => l.Code).ToListAsync(cancellationToken);
        foreach (var level in data.AgencyLevels.Where(l => !knownLevels.Contains(l.Code)))
        {
            db.AgencyLevels().Add(new AgencyLevelRecord { Code = level.Code, NameVi = level.NameVi, NameEn = level.NameEn, Rank = level.Rank });
        }

        var levelCodes = data.AgencyLevels.Select(l => l.Code).Concat(knownLevels).ToHashSet(StringComparer.Ordinal);
        var stored = await db.Procedures().ToDictionaryAsync(p => p.Code, StringComparer.Ordinal, cancellationToken);
        var added = 0;
        foreach (var procedure in data.Procedures)
        {
            if (stored.TryGetValue(procedure.Code, out var existing))
            {
                existing.TermsJson ??= procedure.Terms.ToJson();
                continue;
            }

            var unknownLevel = procedure.AgencyLevels.FirstOrDefault(l => !levelCodes.Contains(l));
            if (unknownLevel is not null)
            {
                throw new InvalidDataException($"Procedure {procedure.Code} names agency level '{unknownLevel}', which the data does not define.");
            }

            db.Procedures().Add(ToRecord(procedure, today));
            added++;
        }

        await db.SaveChangesAsync(cancellationToken);
        return added;
    }

    /// <summary>Adds the forms missing by code; returns how many.</summary>
    public static async Task<int> SeedFormsAsync(DvcDbContext db, FormsData data, CancellationToken cancellationToken)
    {
        var known = (await db.Forms().Select(f => f.Code).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var added = 0;
        foreach (var form in data.Forms.Where(f => !known.Contains(f.Code)))
        {
            db.Forms().Add(new FormRecord { Code = form.Code, NameVi = form.NameVi, FieldsKnown = form.FieldsKnown, DefinitionJson = form.ToJson() });
            added++;
        }

        await db.SaveChangesAsync(cancellationToken);
        return added;
    }

    internal static ProcedureRecord ToRecord(ProcedureData p, DateOnly today)
    {
        var time = p.Terms.TimeOn(today);
        var fees = p.Terms.FeesOn(today);
        return new ProcedureRecord
        {
            Code = p.Code,
            NameVi = p.NameVi,
            NameEn = p.NameEn,
            ServiceLevel = p.ServiceLevel,
            Field = p.Field,
            SearchText = VietnameseText.Fold($"{p.NameVi} | {p.NameEn}"),
            ProcessingTimeKnown = time.Known,
            ProcessingTimeUnit = time.Known ? CatalogMapping.UnitName(time.Kind) : null,
            ProcessingTimeAmount = time.Amount,
            FeesKnown = fees.Known,
            FeeInPersonVnd = fees.InPersonVnd,
            FeeOnlineVnd = fees.OnlineVnd,
            DetailsJson = JsonSerializer.Serialize(p, CatalogData.Json),
            TermsJson = p.Terms.ToJson(),
            AgencyLevels = p.AgencyLevels
                .Select(l => new ProcedureAgencyLevelRecord { ProcedureCode = p.Code, AgencyLevelCode = l })
                .ToList(),
        };
    }
}
