using GrpcDvc.Server.Access;
using GrpcDvc.Server.Population.DataAccessLog;

namespace GrpcDvc.Server.Population;

/// <summary>
/// Describes the caller as the access log keeps them: account, name, role and agency at the time
/// of the read, so the entry still says who it was after the account changes.
/// </summary>
public sealed class AccessorNames(IOfficialNameSource officials, OfficialNameCache cache)
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

        var name = await officials.FullNameAsync(accountId, cancellationToken);
        if (name is not null)
        {
            cache.Put(accountId, name);
        }

        return name;
    }
}

/// <summary>Officials' names as their accounts hold them (the identity capability's, which sits above the registry).</summary>
public interface IOfficialNameSource
{
    /// <summary>The official's full name, or null when no such account exists.</summary>
    Task<string?> FullNameAsync(Guid accountId, CancellationToken cancellationToken);
}
