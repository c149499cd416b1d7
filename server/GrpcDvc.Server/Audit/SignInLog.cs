using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.SignIn;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Audit;

/// <summary>The auditors' reading of the sign-in audit (sign_in_audit: sign-ins and administrators' changes to officials), newest first.</summary>
public sealed class SignInLog(DvcDbContext db)
{
    /// <param name="account">A login name or an account id (whose sign-ins, changes to it, or changes it made); null for every account.</param>
    /// <param name="officialUnits">Only sign-ins of officials of these units; null for everyone's (<see cref="AuditScope.SignInUnitsAsync"/>).</param>
    public async Task<(List<SignInAuditRecord> Items, int Total)> QueryAsync(
        string? account, DateTime? from, DateTime? until, IReadOnlyCollection<string>? officialUnits, int skip, int take, CancellationToken cancellationToken)
    {
        var rows = db.Set<SignInAuditRecord>().AsNoTracking();
        if (officialUnits is not null)
        {
            var units = officialUnits.ToList();
            rows = rows.Where(a => a.AccountId != null
                && db.Set<OfficialAccountRecord>().Any(o => o.Id == a.AccountId && units.Contains(o.AgencyUnitCode)));
        }

        if (account is not null)
        {
            Guid? id = Guid.TryParse(account, out var parsed) ? parsed : null;
            var login = account.ToLowerInvariant();
            // The account's own sign-ins and changes made to it, and the changes it made as an administrator.
            rows = rows.Where(a => a.Login == login || a.Login == account || (id != null && a.AccountId == id)
                || a.ActorLogin == login || (id != null && a.ActorAccountId == id));
        }

        if (from is { } start)
        {
            rows = rows.Where(a => a.OccurredAt >= start);
        }

        if (until is { } end)
        {
            rows = rows.Where(a => a.OccurredAt < end);
        }

        var total = await rows.CountAsync(cancellationToken);
        var items = await rows.OrderByDescending(a => a.OccurredAt).ThenByDescending(a => a.Id).Skip(skip).Take(take).ToListAsync(cancellationToken);
        return (items, total);
    }
}
