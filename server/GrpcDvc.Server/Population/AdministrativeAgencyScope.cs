using GrpcDvc.Server.Access;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Population;

/// <summary>
/// <see cref="IAgencyScope"/> over the administrative_units table. The hierarchy is small (provinces,
/// districts and communes: thousands of rows), so it is read once and kept in memory; a code it
/// does not know makes it reread, at most once per <see cref="AccessOptions.UnitReloadInterval"/>,
/// so units added after start-up (the demo population's) are found without a restart; and it is
/// reread when older than <see cref="AccessOptions.UnitMaxAge"/>, so a unit moved under another
/// parent or merged counts without a restart too.
/// </summary>
public sealed class AdministrativeAgencyScope(IServiceScopeFactory scopes, AccessOptions options, TimeProvider time) : IAgencyScope, IDisposable
{
    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile Loaded? _loaded;

    public async Task<bool> CoversAsync(string agencyUnitCode, IReadOnlyCollection<string> subjectUnitCodes, CancellationToken cancellationToken)
    {
        var hierarchy = await HierarchyAsync(reload: false, cancellationToken);
        if (!hierarchy.Knows(agencyUnitCode) || subjectUnitCodes.Any(code => !hierarchy.Knows(code)))
        {
            hierarchy = await HierarchyAsync(reload: true, cancellationToken);
        }

        return hierarchy.Covers(agencyUnitCode, subjectUnitCodes);
    }

    public async Task<IReadOnlyCollection<int>?> CoveredUnitIdsAsync(string agencyUnitCode, CancellationToken cancellationToken)
    {
        var hierarchy = await HierarchyAsync(reload: false, cancellationToken);
        if (!hierarchy.Knows(agencyUnitCode))
        {
            hierarchy = await HierarchyAsync(reload: true, cancellationToken);
        }

        return hierarchy.CoveredUnitIds(agencyUnitCode);
    }

    public void Dispose() => _reload.Dispose();

    private async Task<AgencyHierarchy> HierarchyAsync(bool reload, CancellationToken cancellationToken)
    {
        var loaded = _loaded;
        var age = loaded is null ? TimeSpan.MaxValue : time.GetUtcNow() - loaded.At;
        if (loaded is not null && age < options.UnitMaxAge && (!reload || age < options.UnitReloadInterval))
        {
            return loaded.Hierarchy;
        }

        await _reload.WaitAsync(cancellationToken);
        try
        {
            // Another caller may have reloaded while this one waited.
            if (_loaded is { } fresh && fresh != loaded)
            {
                return fresh.Hierarchy;
            }

            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
            var units = await db.Set<AdministrativeUnitRow>().AsNoTracking()
                .Select(u => new UnitLink(u.Id, u.Code, u.ParentId, u.SuccessorId))
                .ToListAsync(cancellationToken);
            var hierarchy = new AgencyHierarchy(units, options.EffectiveNationalUnits);
            _loaded = new Loaded(hierarchy, time.GetUtcNow());
            return hierarchy;
        }
        finally
        {
            _reload.Release();
        }
    }

    private sealed record Loaded(AgencyHierarchy Hierarchy, DateTimeOffset At);
}
