using GrpcDvc.Server.Access;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Identity.Accounts;

/// <summary>
/// The name to greet a caller by. Not a claim of the access token: a token travels with every
/// call and should carry no more personal data than authorization needs.
/// </summary>
public sealed class AccountNames(DvcDbContext db)
{
    public async Task<string> DisplayNameAsync(CallerIdentity caller, CancellationToken cancellationToken)
    {
        var id = caller.AccountId;
        var name = caller.Kind == AccountKind.Citizen
            ? await db.Set<CitizenAccountRecord>().AsNoTracking().Where(a => a.Id == id).Select(a => a.FullName).FirstOrDefaultAsync(cancellationToken)
            : await db.Set<OfficialAccountRecord>().AsNoTracking().Where(a => a.Id == id).Select(a => a.FullName).FirstOrDefaultAsync(cancellationToken);
        return name ?? "";
    }
}
