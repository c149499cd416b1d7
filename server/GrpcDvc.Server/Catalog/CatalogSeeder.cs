using System.Text.Json;
using GrpcDvc.Server.Storage;
using GrpcDvc.Server.Text;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Catalog;

/// <summary>
/// Puts the data file's agency levels and procedures into the database: entries missing by
/// code are added, existing ones are left as they are (administrators may have edited them).
/// Runs at every start; a second run changes nothing.
/// </summary>
public static class CatalogSeeder
{
    public static string DefaultDataPath => Path.Combine(AppContext.BaseDirectory, "Catalog", "Data", "procedures.json");

    public static async Task<int> SeedAsync(DvcDbContext db, CatalogData data, CancellationToken cancellationToken)
    {
        var knownLevels = await db.AgencyLevels().Select(l => l.Code).ToListAsync(cancellationToken);
        foreach (var level in data.AgencyLevels.Where(l => !knownLevels.Contains(l.Code)))
        {
            db.AgencyLevels().Add(new AgencyLevelRecord { Code = level.Code, NameVi = level.NameVi, NameEn = level.NameEn, Rank = level.Rank });
        }

        var levelCodes = data.AgencyLevels.Select(l => l.Code).Concat(knownLevels).ToHashSet(StringComparer.Ordinal);
        var knownProcedures = (await db.Procedures().Select(p => p.Code).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var added = 0;
        foreach (var procedure in data.Procedures.Where(p => !knownProcedures.Contains(p.Code)))
        {
            var unknownLevel = procedure.AgencyLevels.FirstOrDefault(l => !levelCodes.Contains(l));
            if (unknownLevel is not null)
            {
                throw new InvalidDataException($"Procedure {procedure.Code} names agency level '{unknownLevel}', which the data does not define.");
            }

            db.Procedures().Add(ToRecord(procedure));
            added++;
        }

        await db.SaveChangesAsync(cancellationToken);
        return added;
    }

    internal static ProcedureRecord ToRecord(ProcedureData p) => new()
    {
        Code = p.Code,
        NameVi = p.NameVi,
        NameEn = p.NameEn,
        ServiceLevel = p.ServiceLevel,
        Field = p.Field,
        SearchText = VietnameseText.Fold($"{p.NameVi} | {p.NameEn}"),
        ProcessingTimeKnown = p.ProcessingTime.Known,
        ProcessingTimeUnit = p.ProcessingTime.Unit,
        ProcessingTimeAmount = p.ProcessingTime.Amount,
        FeesKnown = p.Fees.Known,
        FeeInPersonVnd = p.Fees.InPersonVnd,
        FeeOnlineVnd = p.Fees.OnlineVnd,
        DetailsJson = JsonSerializer.Serialize(p, CatalogData.Json),
        AgencyLevels = p.AgencyLevels
            .Select(l => new ProcedureAgencyLevelRecord { ProcedureCode = p.Code, AgencyLevelCode = l })
            .ToList(),
    };
}
