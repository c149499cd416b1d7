using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity;
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
public sealed class AuditScope(DvcDbContext db, IAgencyScope scope)
{
    public async Task<IReadOnlyCollection<string>> AgenciesAsync(CallerIdentity caller, CancellationToken cancellationToken)
    {
        if (caller.AgencyUnit is not { } unit)
        {
            return [];
        }

        var codes = await db.Set<DataAccessRecord>().Where(a => a.AgencyCode != null)
            .Select(a => a.AgencyCode!).Distinct().ToListAsync(cancellationToken);
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
