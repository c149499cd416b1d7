using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Population.DataAccessLog;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Audit;

/// <summary>
/// Which agencies' reads an auditor may see: those of their own unit and the units under it,
/// decided by <see cref="IAgencyScope"/> on each agency that appears in the log (a short list:
/// one code per police unit). Reads with no agency are citizens reading their own data, which
/// concern no agency and are left out.
/// </summary>
public sealed class AuditScope(DvcDbContext db, IAgencyScope scope, AccessOptions options)
{
    /// <summary>
    /// Whose sign-ins an auditor may see: null for an auditor of a national unit (everyone's,
    /// citizens' and unknown logins' too); otherwise the units, among those officials belong to,
    /// that the auditor's unit covers. Citizens and logins that matched no account belong to no
    /// unit, so only national auditors see them.
    /// </summary>
    public async Task<IReadOnlyCollection<string>?> SignInUnitsAsync(CallerIdentity caller, CancellationToken cancellationToken)
    {
        if (caller.AgencyUnit is not { } unit)
        {
            return [];
        }

        if (options.EffectiveNationalUnits.Contains(unit, StringComparer.Ordinal))
        {
            return null;
        }

        var codes = await db.Set<OfficialAccountRecord>().Select(a => a.AgencyUnitCode).Distinct().ToListAsync(cancellationToken);
        return await CoveredAsync(unit, codes, cancellationToken);
    }

    public async Task<IReadOnlyCollection<string>> AgenciesAsync(CallerIdentity caller, CancellationToken cancellationToken)
    {
        if (caller.AgencyUnit is not { } unit)
        {
            return [];
        }

        var codes = await db.Set<DataAccessRecord>().Where(a => a.AgencyCode != null)
            .Select(a => a.AgencyCode!).Distinct().ToListAsync(cancellationToken);
        return await CoveredAsync(unit, codes, cancellationToken);
    }

    private async Task<IReadOnlyCollection<string>> CoveredAsync(string unit, List<string> codes, CancellationToken cancellationToken)
    {
        var covered = new List<string>(codes.Count);
        foreach (var code in codes)
        {
            if (await scope.CoversAsync(unit, [code], cancellationToken))
            {
                covered.Add(code);
            }
        }

        return covered;
    }
}
