using GrpcDvc.Server.Audit;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Population;

/// <summary>
/// Describes the caller as the access log keeps them: account, name, role and agency at the time
/// of the read, so the entry still says who it was after the account changes.
/// </summary>
public sealed class AccessorNames(DvcDbContext db, OfficialNameCache cache)
{
    /// <summary>Shown to a citizen for reads of their own data.</summary>
    public const string TheCitizen = "Công dân (chính chủ)";

    public async Task<Accessor> AccessorAsync(CallerIdentity caller, CancellationToken cancellationToken)
    {
        var name = caller.Kind == AccountKind.Official ? await OfficialNameAsync(caller.AccountId, cancellationToken) : TheCitizen;
        var role = string.Join(',', caller.Roles.Select(RoleNames.Name));
        return new Accessor(caller.AccountId.ToString(), name ?? caller.AccountId.ToString(), role, caller.AgencyUnit);
    }

    private async Task<string?> OfficialNameAsync(Guid accountId, CancellationToken cancellationToken)
    {
        if (cache.TryGet(accountId, out var cached))
        {
            return cached;
        }

        var name = await db.Set<OfficialAccountRecord>().Where(a => a.Id == accountId).Select(a => a.FullName).FirstOrDefaultAsync(cancellationToken);
        if (name is not null)
        {
            cache.Put(accountId, name);
        }

        return name;
    }
}
