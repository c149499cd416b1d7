using GrpcDvc.Server.Audit;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Population;

/// <summary>
/// Describes the caller as the access log keeps them: account, name, role and agency at the time
/// of the read, so the entry still says who it was after the account changes.
/// </summary>
public sealed class AccessorNames(DvcDbContext db)
{
    /// <summary>Shown to a citizen for reads of their own data.</summary>
    public const string TheCitizen = "Công dân (chính chủ)";

    public async Task<Accessor> AccessorAsync(CallerIdentity caller, CancellationToken cancellationToken)
    {
        var name = caller.Kind == AccountKind.Official
            ? await db.Set<OfficialAccountRecord>().Where(a => a.Id == caller.AccountId).Select(a => a.FullName).FirstOrDefaultAsync(cancellationToken)
            : TheCitizen;
        var role = string.Join(',', caller.Roles.Select(RoleNames.Name));
        return new Accessor(caller.AccountId.ToString(), name ?? caller.AccountId.ToString(), role, caller.AgencyUnit);
    }
}
