using GrpcDvc.Server.Catalog;
using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Population;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Dossiers.Submission;

/// <summary>
/// Routing: the police unit competent for a dossier, from the procedure's agency level(s) in the
/// catalog and the commune the dossier concerns, as the units stand today.
/// <list type="bullet">
/// <item>A unit merged away (2025) hands its dossiers to its successor, followed to the unit existing today.</item>
/// <item>District police ended on 1/3/2025; their procedures went to the commune police (the catalog
/// notes' "2026 equivalent: commune level"), so a district-level procedure routes to the commune.</item>
/// <item>Province level: the province the commune lies in today.</item>
/// <item>Several levels listed: the most local one.</item>
/// </list>
/// The unit is a row of administrative_units: officials' agency-unit codes are these codes, and
/// agency scope (the unit and the units under it) is decided on them, so the unit's officials and
/// their province's see the dossier.
/// </summary>
public sealed class CompetentUnits(DvcDbContext db, CompetentUnits.UnitCache shared)
{
    public const string UnroutableReason = "DOSSIER_UNROUTABLE";

    // Chains are short (commune → district → province, plus successors); the bound stops a cycle in bad data.
    private const int MaxDepth = 8;


    /// <summary>The competent unit for a procedure of <paramref name="agencyLevels"/> (catalog codes) concerning <paramref name="communeId"/>.</summary>
    public async Task<AdministrativeUnitRow> RouteAsync(IReadOnlyCollection<string> agencyLevels, int communeId, CancellationToken cancellationToken)
    {
        var level = LevelFor(agencyLevels);
        var today = await TodayAsync(communeId, cancellationToken);
        if (level == AdministrativeLevel.Commune)
        {
            return today.Level == AdministrativeLevel.Commune ? today
                : throw Unroutable("The residence the registry holds is not a commune of today: name the commune (commune_code).");
        }

        for (var (unit, depth) = (today, 0); depth < MaxDepth; depth++)
        {
            if (unit.Level == AdministrativeLevel.Province)
            {
                return await TodayAsync(unit.Id, cancellationToken);
            }

            if (unit.ParentId is not { } parent)
            {
                break;
            }

            unit = await UnitAsync(parent, cancellationToken);
        }

        throw Unroutable("The commune concerned lies in no province the registry knows.");
    }

    /// <summary>The administrative level whose police handle the procedure today (the most local of those listed).</summary>
    public static AdministrativeLevel LevelFor(IReadOnlyCollection<string> agencyLevels)
    {
        if (agencyLevels.Any(l => l is "commune" or "district"))
        {
            return AdministrativeLevel.Commune;
        }

        if (agencyLevels.Contains("province"))
        {
            return AdministrativeLevel.Province;
        }

        // The ministry's own procedures (none in the catalog today) are not received online here.
        throw Unroutable("The procedure is handled by no police unit of a province or a commune.");
    }

    /// <summary>The unit that stands for <paramref name="unitId"/> today: itself, or its successor (and theirs).</summary>
    public async Task<AdministrativeUnitRow> TodayAsync(int unitId, CancellationToken cancellationToken)
    {
        var unit = await UnitAsync(unitId, cancellationToken);
        for (var depth = 0; depth < MaxDepth && unit.SuccessorId is { } next; depth++)
        {
            unit = await UnitAsync(next, cancellationToken);
        }

        return unit;
    }

    /// <summary>A unit's row, from the shared rows when read in the last minute; null when there is no such unit. Shared: do not modify it.</summary>
    public async Task<AdministrativeUnitRow?> FindAsync(int id, CancellationToken cancellationToken)
    {
        if (shared.Rows.TryGet(id, out var known))
        {
            return known;
        }

        var row = await db.Set<AdministrativeUnitRow>().AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (row is not null)
        {
            shared.Rows.Set(id, row);
        }

        return row;
    }

    private async Task<AdministrativeUnitRow> UnitAsync(int id, CancellationToken cancellationToken)
        => await FindAsync(id, cancellationToken) ?? throw Unroutable("The unit of the commune concerned is missing from the registry.");

    /// <summary>
    /// The unit rows routing walked in the last minute, shared by every call: a submission walks
    /// commune → province and successors, two to four rows that change only when the population
    /// loader replaces the units (a new row id) or the 2025 mergers are edited. Shared rows must not be modified.
    /// </summary>
    public sealed class UnitCache(TimeProvider time)
    {
        // About 10,600 communes in 2025 and their predecessors: the whole tree fits.
        internal BoundedCache<int, AdministrativeUnitRow> Rows { get; } = new(20_000, TimeSpan.FromMinutes(1), time);
    }

    private static Grpc.Core.RpcException Unroutable(string message)
        => RpcErrors.FailedPrecondition(UnroutableReason, "commune_code", message);

    /// <summary>The agency levels of a catalog entry.</summary>
    public static IReadOnlyCollection<string> LevelsOf(ProcedureRecord procedure) => [.. procedure.AgencyLevels.Select(l => l.AgencyLevelCode)];
}
