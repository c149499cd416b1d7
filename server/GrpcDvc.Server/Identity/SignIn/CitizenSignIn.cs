using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.Tokens;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Identity.SignIn;

/// <summary>A citizen signs in with ID number and password (accounts made by the SMS flow).</summary>
public sealed class CitizenSignIn(DvcDbContext db, PasswordHasher hasher, SignInSteps steps, TokenService tokens)
{
    private const string Method = SignInMethods.Password;
    private const AccountKind Kind = AccountKind.Citizen;

    public async Task<IdentityResult<SignedIn>> SignInAsync(string? idNumber, string? password, ClientContext client, CancellationToken cancellationToken)
    {
        var login = idNumber?.Trim() ?? "";
        if (CitizenIdNumber.Check(login) is { } malformed)
        {
            return await steps.RefuseAsync(Method, Kind, null, login, client, IdentityReasons.IdNumberInvalid, malformed, cancellationToken);
        }

        if (await steps.LimitAsync(Method, Kind, login, client, cancellationToken) is { } limited)
        {
            return limited;
        }

        password ??= "";
        var account = await db.Set<CitizenAccountRecord>().FirstOrDefaultAsync(a => a.IdNumber == login, cancellationToken);
        if (account is null)
        {
            hasher.VerifyNothing(password);
            return await steps.RefuseAsync(Method, Kind, null, login, client, IdentityReasons.UnknownAccount,
                IdentityFailure.InvalidCredentials(), cancellationToken);
        }

        if (await steps.RefuseIfLockedAsync(Method, Kind, account.Id, account, login, client, cancellationToken) is { } locked)
        {
            return locked;
        }

        var check = hasher.Verify(password, account.PasswordHash);
        if (check == PasswordCheck.Wrong)
        {
            var reason = account.PasswordHash is null ? IdentityReasons.NoPassword : IdentityReasons.PasswordWrong;
            return await steps.FailAsync(Method, Kind, account.Id, account, login, client, reason, cancellationToken);
        }

        var upgrade = check == PasswordCheck.CorrectNeedsRehash ? () => account.PasswordHash = hasher.Hash(password) : (Action?)null;
        if (await steps.AcceptAsync(Method, Kind, account, login, client, upgrade, cancellationToken) is { } refused)
        {
            return refused;
        }

        return IdentityResult<SignedIn>.Ok(await tokens.IssueAsync(account, cancellationToken));
    }
}
