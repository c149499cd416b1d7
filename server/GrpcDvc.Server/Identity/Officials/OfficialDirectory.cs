using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Identity.Officials;

/// <summary>What to list: the unit whose officials (it and the units under it), a role, disabled ones too.</summary>
public sealed record OfficialFilter(string UnitCode, Role? Role, bool IncludeDisabled)
{
    public string Fingerprint => $"{UnitCode}|{Role}|{IncludeDisabled}";
}

/// <summary>One page of officials, by username, and the username to continue after (null: the last page).</summary>
public sealed record OfficialPage(IReadOnlyList<OfficialState> Officials, string? After, int Total);

/// <summary>
/// The administrators' and auditors' list of officials: the accounts whose unit lies within a unit
/// (by the same rule as agency scope), by username, keyset-paged so a page never shifts when an
/// account is added before it. Only the account's public facts leave.
/// </summary>
public sealed class OfficialDirectory(DvcDbContext db, IAgencyScope scope)
{
    public async Task<OfficialPage> ListAsync(OfficialFilter filter, string? after, int size, CancellationToken ct)
    {
        var officials = db.Set<OfficialAccountRecord>().AsNoTracking();
        var covered = await scope.CoveredUnitIdsAsync(filter.UnitCode, ct);
        if (covered is not null)
        {
            var ids = covered.ToList();
            var codes = await db.Set<AdministrativeUnitRow>().AsNoTracking().Where(u => ids.Contains(u.Id)).Select(u => u.Code).ToListAsync(ct);
            codes.Add(filter.UnitCode);
            officials = officials.Where(o => codes.Contains(o.AgencyUnitCode));
        }

        if (!filter.IncludeDisabled)
        {
            officials = officials.Where(o => !o.Disabled);
        }

        if (filter.Role is { } role)
        {
            var name = RoleNames.Name(role);
            officials = officials.Where(o => o.Roles.Any(r => r.Role == name));
        }

        var total = await officials.CountAsync(ct);
        if (after is not null)
        {
            officials = officials.Where(o => string.Compare(o.Username, after) > 0);
        }

        // One more row than asked tells whether another page follows.
        var rows = await officials.OrderBy(o => o.Username).Take(size + 1).Include(o => o.Roles).ToListAsync(ct);
        var page = rows.Count > size ? rows.GetRange(0, size) : rows;
        return new OfficialPage([.. page.Select(OfficialState.Of)], rows.Count > size ? page[^1].Username : null, total);
    }
}
