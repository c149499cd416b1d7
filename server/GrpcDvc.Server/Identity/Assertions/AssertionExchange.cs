using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.SignIn;
using GrpcDvc.Server.Identity.Tokens;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Identity.Assertions;

/// <summary>
/// Today's flow: a portal hands over a VNeID-style identity assertion and gets our tokens. The
/// first exchange for an ID number opens the account (no password: the issuer is how that
/// citizen signs in); later ones refresh its name and assurance level from the issuer.
/// </summary>
public sealed class AssertionExchange(
    DvcDbContext db, IIdentityAssertionValidator validator, AbuseLimiter limiter, SignInAudit audit, TokenService tokens, TimeProvider time)
{
    private const string Method = SignInMethods.IdentityAssertion;

    public async Task<IdentityResult<SignedIn>> ExchangeAsync(string? assertion, ClientContext client, CancellationToken cancellationToken)
    {
        if (await limiter.TryAcquireAsync(LimitedAction.SignIn, client, null, cancellationToken) is { } limited)
        {
            await audit.RecordAsync(Method, client, AccountKind.Citizen, null, null, limited.Reason, cancellationToken);
            return limited;
        }

        var validated = await validator.ValidateAsync(assertion, cancellationToken);
        if (!validated.Succeeded)
        {
            await audit.RecordAsync(Method, client, AccountKind.Citizen, null, null, validated.Failure!.Reason, cancellationToken);
            return validated.Failure;
        }

        var identity = validated.Value;
        try
        {
            return await SignInAsync(identity, client, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two first exchanges for one citizen raced and the other created the account: use it.
            db.ChangeTracker.Clear();
            return await SignInAsync(identity, client, cancellationToken);
        }
    }

    private async Task<IdentityResult<SignedIn>> SignInAsync(IdentityAssertion identity, ClientContext client, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var account = await db.Set<CitizenAccountRecord>().FirstOrDefaultAsync(a => a.IdNumber == identity.IdNumber, cancellationToken);
        if (account is null)
        {
            account = new CitizenAccountRecord
            {
                Id = Guid.NewGuid(),
                IdNumber = identity.IdNumber,
                FullName = identity.FullName,
                BirthDate = identity.BirthDate,
                CreatedAt = now,
            };
            db.Add(account);
        }
        else if (account.Disabled)
        {
            await audit.RecordAsync(Method, client, AccountKind.Citizen, account.Id, identity.IdNumber, IdentityReasons.AccountDisabled, cancellationToken);
            return new IdentityFailure(FailureKind.PermissionDenied, IdentityReasons.AccountDisabled, "The account is disabled.");
        }

        // The issuer verified the person: its name and level are the current truth for the session.
        account.FullName = identity.FullName;
        account.AssuranceLevel = identity.Level;
        account.LastSignInAt = now;
        audit.Stage(Method, client, AccountKind.Citizen, account.Id, identity.IdNumber, null);
        return IdentityResult<SignedIn>.Ok(await tokens.IssueAsync(account, cancellationToken));
    }
}
