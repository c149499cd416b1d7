using GrpcDvc.Server.Population;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Identity.Accounts;

/// <summary>The registry's access log names officials from their accounts.</summary>
public sealed class OfficialNameSource(DvcDbContext db) : IOfficialNameSource
{
    public Task<string?> FullNameAsync(Guid accountId, CancellationToken cancellationToken)
        => db.Set<OfficialAccountRecord>().Where(a => a.Id == accountId).Select(a => a.FullName).FirstOrDefaultAsync(cancellationToken);
}
