using System.Security.Cryptography;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.Officials;
using GrpcDvc.Server.Identity.Secrets;
using GrpcDvc.Server.Identity.Tokens;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Identity.SignIn;

/// <summary>
/// An official signs in with username, password and the current TOTP code. Which factor failed
/// is told to the audit log only; the caller hears INVALID_CREDENTIALS either way. A code is
/// accepted once: its step is recorded with a conditional UPDATE, so a replay (even racing the
/// first use on another instance) fails.
/// </summary>
public sealed class OfficialSignIn(DvcDbContext db, PasswordHasher hasher, IdentitySecrets secrets, SignInSteps steps, TokenService tokens, TimeProvider time)
{
    private const string Method = SignInMethods.PasswordAndTotp;
    private const AccountKind Kind = AccountKind.Official;

    public async Task<IdentityResult<SignedIn>> SignInAsync(string? username, string? password, string? totpCode, ClientContext client, CancellationToken cancellationToken)
    {
        var login = OfficialNames.NormalizeUsername(username);
        if (await steps.LimitAsync(Method, Kind, login, client, cancellationToken) is { } limited)
        {
            return limited;
        }

        password ??= "";
        var account = await db.Set<OfficialAccountRecord>().Include(a => a.Roles).FirstOrDefaultAsync(a => a.Username == login, cancellationToken);
        if (account is null)
        {
            hasher.VerifyNothing(password);
            return await steps.RefuseAsync(Method, Kind, null, login, client, IdentityReasons.UnknownAccount, IdentityFailure.InvalidCredentials(), cancellationToken);
        }

        if (await steps.RefuseIfLockedAsync(Method, Kind, account.Id, account, login, client, cancellationToken) is { } locked)
        {
            return locked;
        }

        var check = hasher.Verify(password, account.PasswordHash);
        if (check == PasswordCheck.Wrong)
        {
            return await steps.FailAsync(Method, Kind, account.Id, account, login, client, IdentityReasons.PasswordWrong, cancellationToken);
        }

        if (await ClaimTotpStepAsync(account, totpCode, cancellationToken) is { } totpFailure)
        {
            return await steps.FailAsync(Method, Kind, account.Id, account, login, client, totpFailure, cancellationToken);
        }

        var upgrade = check == PasswordCheck.CorrectNeedsRehash ? () => account.PasswordHash = hasher.Hash(password) : (Action?)null;
        if (await steps.AcceptAsync(Method, Kind, account, login, client, upgrade, cancellationToken) is { } refused)
        {
            return refused;
        }

        return IdentityResult<SignedIn>.Ok(await tokens.IssueAsync(account, cancellationToken));
    }

    /// <returns>Null when the code is right and unused (its step is now recorded); else the audit reason.</returns>
    private async Task<string?> ClaimTotpStepAsync(OfficialAccountRecord account, string? code, CancellationToken cancellationToken)
    {
        var secret = secrets.Unseal(SecretKind.TotpSeed, account.TotpSecretSealed, account.Id.ToString("D"));
        try
        {
            if (TotpCode.Match(secret, code?.Trim(), time.GetUtcNow()) is not { } step)
            {
                return IdentityReasons.TotpInvalid;
            }

            var id = account.Id;
            var claimed = await db.Set<OfficialAccountRecord>()
                .Where(a => a.Id == id && (a.TotpLastStep == null || a.TotpLastStep < step))
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.TotpLastStep, step), cancellationToken);
            if (claimed == 0)
            {
                return IdentityReasons.TotpReplayed;
            }

            account.TotpLastStep = step;
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }
}
