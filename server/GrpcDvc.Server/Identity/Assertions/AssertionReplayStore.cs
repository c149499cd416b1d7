using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Identity.Assertions;

/// <summary>
/// Remembers each accepted assertion (issuer + jti) until it expires, in the database so every
/// instance refuses a replay; the primary key settles two instances racing on one assertion.
/// </summary>
public sealed class AssertionReplayStore(DvcDbContext db, TimeProvider time)
{
    /// <summary>False if the assertion was seen before.</summary>
    public async Task<bool> TryRememberAsync(string issuer, string tokenId, DateTime forgetAfter, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var seen = db.Set<UsedAssertionRecord>();
        await seen.Where(s => s.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        if (await seen.AnyAsync(s => s.Issuer == issuer && s.TokenId == tokenId, cancellationToken))
        {
            return false;
        }

        var record = new UsedAssertionRecord { Issuer = issuer, TokenId = tokenId, ExpiresAt = forgetAfter };
        seen.Add(record);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            db.Entry(record).State = EntityState.Detached;
            if (await seen.AnyAsync(s => s.Issuer == issuer && s.TokenId == tokenId, cancellationToken))
            {
                return false;
            }

            throw;
        }
    }
}
