using System.Security.Cryptography;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.Secrets;
using GrpcDvc.Server.Identity.SignIn;
using GrpcDvc.Server.Identity.Tokens;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Identity.Officials;

/// <summary>An official's account as an administrator sees it after a change (no secrets).</summary>
public sealed record OfficialState(Guid Id, string Username, string FullName, string AgencyUnitCode, IReadOnlyList<Role> Roles, bool Disabled)
{
    public static OfficialState Of(OfficialAccountRecord account)
        => new(account.Id, account.Username, account.FullName, account.AgencyUnitCode, account.RoleList(), account.Disabled);
}

/// <summary>
/// An administrator changes an official: their roles, whether they may sign in, their TOTP seed.
/// Every change is checked the same way before anything is touched: the caller is an administrator
/// by their token and still by their account (another instance may not have seen a revocation
/// yet), and the official belongs to the administrator's unit or a unit under it. Each change,
/// the audit row saying who made it, and the end of the official's sessions commit together.
/// Asking for what is already so changes nothing and logs nothing, so a retry is harmless.
/// </summary>
/// <remarks>
/// An administrator may not drop their own administrator role, disable themselves or re-enrol
/// themselves. So whoever takes an administrator away is another administrator, enabled and
/// covering that unit: a unit always keeps one who can act for it. (Two administrators disabling
/// each other at the same instant could both succeed; the bootstrap administrator or a national
/// one puts that right.)
/// </remarks>
public sealed class OfficialChanges(
    DvcDbContext db, IAgencyScope scope, SignInAudit audit, TokenService tokens, IdentitySecrets secrets, IdentityOptions options)
{
    public const int MaxRequestIdLength = 64;

    public async Task<IdentityResult<OfficialState>> SetRolesAsync(
        CallerIdentity admin, Guid officialId, IReadOnlyList<Role> roles, ClientContext client, CancellationToken cancellationToken)
    {
        if (OfficialAdministration.RolesProblem(roles) is { } invalid)
        {
            return invalid;
        }

        var target = await TargetAsync(admin, officialId, cancellationToken);
        if (!target.Succeeded)
        {
            return target.Failure!;
        }

        var (actor, official) = target.Value;
        if (official.Id == actor.Id && !roles.Contains(Role.Administrator))
        {
            return SelfRefused(IdentityReasons.AdministratorSelfDemotion, "An administrator cannot remove their own administrator role; another administrator can.");
        }

        var before = official.RoleList();
        IReadOnlyList<Role> after = [.. roles.Distinct().Order()];
        if (before.SequenceEqual(after))
        {
            return IdentityResult<OfficialState>.Ok(OfficialState.Of(official));
        }

        // Changed in place: re-adding a removed role row with the same key would clash in the change tracker.
        var wanted = after.Select(RoleNames.Name).ToHashSet(StringComparer.Ordinal);
        official.Roles.RemoveAll(r => !wanted.Contains(r.Role));
        wanted.ExceptWith(official.Roles.Select(r => r.Role));
        official.Roles.AddRange(wanted.Select(name => new OfficialRoleRecord { OfficialId = official.Id, Role = name }));
        // Sessions end so the new roles hold from the next sign-in, not from some later refresh.
        var change = new Change(SignInMethods.OfficialRolesSet, $"{Names(before)} -> {Names(after)}", RevokeReasons.CredentialsChanged);
        await CommitAsync(actor, official, change, client, cancellationToken);
        return IdentityResult<OfficialState>.Ok(OfficialState.Of(official));
    }

    public async Task<IdentityResult<OfficialState>> SetDisabledAsync(
        CallerIdentity admin, Guid officialId, bool disabled, ClientContext client, CancellationToken cancellationToken)
    {
        var target = await TargetAsync(admin, officialId, cancellationToken);
        if (!target.Succeeded)
        {
            return target.Failure!;
        }

        var (actor, official) = target.Value;
        if (disabled && official.Id == actor.Id)
        {
            return SelfRefused(IdentityReasons.AdministratorSelfDisable, "An administrator cannot disable themselves; another administrator can.");
        }

        if (official.Disabled == disabled)
        {
            if (disabled)
            {
                // Nothing to log, but no session of a disabled account may live on, however it was disabled.
                await tokens.RevokeAllAsync(official.Id, RevokeReasons.AccountDisabled, cancellationToken);
            }

            return IdentityResult<OfficialState>.Ok(OfficialState.Of(official));
        }

        official.Disabled = disabled;
        var change = disabled
            ? new Change(SignInMethods.OfficialDisabled, null, RevokeReasons.AccountDisabled)
            : new Change(SignInMethods.OfficialEnabled, null, null);
        await CommitAsync(actor, official, change, client, cancellationToken);
        return IdentityResult<OfficialState>.Ok(OfficialState.Of(official));
    }

    /// <summary>
    /// A new TOTP seed (lost phone): the old one stops working and sessions end. The request id is
    /// required, so a retry returns the same URI instead of replacing the seed a second time.
    /// </summary>
    public async Task<IdentityResult<OfficialEnrolled>> ReenrolTotpAsync(
        CallerIdentity admin, Guid officialId, string? clientRequestId, ClientContext client, CancellationToken cancellationToken)
    {
        var requestId = clientRequestId?.Trim();
        if (string.IsNullOrEmpty(requestId) || requestId.Length > MaxRequestIdLength)
        {
            return IdentityFailure.Invalid(IdentityReasons.ClientRequestIdInvalid, "client_request_id",
                $"A request id of 1–{MaxRequestIdLength} characters is required, so that a retry does not replace the seed again.");
        }

        var target = await TargetAsync(admin, officialId, cancellationToken);
        if (!target.Succeeded)
        {
            return target.Failure!;
        }

        var (actor, official) = target.Value;
        if (official.Id == actor.Id)
        {
            return SelfRefused(IdentityReasons.AdministratorSelfReenrolment,
                "An administrator cannot re-enrol their own TOTP: it would end the session the answer comes back on. Another administrator can.");
        }

        if (await RetriedEnrolmentAsync(actor.Id, official.Id, requestId, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        var enrolment = TotpEnrolment.Create(options.TotpIssuerLabel, official.Username);
        try
        {
            official.TotpSecretSealed = secrets.Seal(SecretKind.TotpSeed, enrolment.Secret, official.Id.ToString("D"));
            official.TotpLastStep = null;
            var change = new Change(SignInMethods.OfficialTotpReenrolled, null, RevokeReasons.CredentialsChanged) { RequestId = requestId };
            await CommitAsync(actor, official, change, client, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same request raced itself (the audit row's request id is unique per official): answer as its retry.
            db.ChangeTracker.Clear();
            if (await RetriedEnrolmentAsync(actor.Id, official.Id, requestId, cancellationToken) is { } raced)
            {
                return raced;
            }

            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(enrolment.Secret);
        }

        return IdentityResult<OfficialEnrolled>.Ok(new OfficialEnrolled(official.Id, official.Username, enrolment.OtpAuthUri));
    }

    /// <summary>
    /// The administrator whose token this is, re-read, and the official they name, within their scope.
    /// Both loaded tracked (with roles), so the change is made on the official entity itself.
    /// </summary>
    private async Task<IdentityResult<(OfficialAccountRecord Actor, OfficialAccountRecord Official)>> TargetAsync(
        CallerIdentity admin, Guid officialId, CancellationToken cancellationToken)
    {
        if (OfficialAdministration.NotAdministrator(admin) is { } refused)
        {
            return refused;
        }

        var actor = await db.Set<OfficialAccountRecord>().Include(a => a.Roles).FirstOrDefaultAsync(a => a.Id == admin.AccountId, cancellationToken);
        if (!OfficialAdministration.IsAdministratorNow(actor))
        {
            return OfficialAdministration.NotAnAdministrator();
        }

        var official = await db.Set<OfficialAccountRecord>().Include(a => a.Roles).FirstOrDefaultAsync(a => a.Id == officialId, cancellationToken);
        if (official is null)
        {
            return new IdentityFailure(FailureKind.NotFound, IdentityReasons.OfficialNotFound, "There is no such official.") { Field = "official_id" };
        }

        // The unit in the token, as for every agency-scoped rpc; the account's unit is the same unless it was moved since sign-in.
        if (admin.AgencyUnit is not { Length: > 0 } unit || !await scope.CoversAsync(unit, [official.AgencyUnitCode], cancellationToken))
        {
            return new IdentityFailure(FailureKind.PermissionDenied, AccessReasons.OutsideAgency, "This official is outside your agency unit and the units under it.");
        }

        return IdentityResult<(OfficialAccountRecord, OfficialAccountRecord)>.Ok((actor, official));
    }

    /// <summary>
    /// The answer to a retried re-enrolment, rebuilt from the sealed seed, or null when this
    /// request id has not re-enrolled this official. Only the administrator who made the request gets it,
    /// and only while no later re-enrolment has replaced that seed.
    /// </summary>
    private async Task<IdentityResult<OfficialEnrolled>?> RetriedEnrolmentAsync(Guid actorId, Guid officialId, string requestId, CancellationToken cancellationToken)
    {
        var enrolments = db.Set<SignInAuditRecord>().AsNoTracking()
            .Where(a => a.AccountId == officialId && a.Method == SignInMethods.OfficialTotpReenrolled);
        var earlier = await enrolments.Where(a => a.ClientRequestId == requestId).Select(a => new { a.Id, a.ActorAccountId }).FirstOrDefaultAsync(cancellationToken);
        if (earlier is null)
        {
            return null;
        }

        if (earlier.ActorAccountId != actorId)
        {
            return IdentityFailure.Invalid(IdentityReasons.ClientRequestIdReused, "client_request_id", "This request id was used for another request.");
        }

        if (await enrolments.MaxAsync(a => a.Id, cancellationToken) != earlier.Id)
        {
            return new IdentityFailure(FailureKind.FailedPrecondition, IdentityReasons.TotpEnrolmentSuperseded,
                "A later re-enrolment replaced the seed of this request; re-enrol with a new request id.") { Field = "client_request_id" };
        }

        var official = await db.Set<OfficialAccountRecord>().AsNoTracking().Where(a => a.Id == officialId)
            .Select(a => new { a.Username, a.TotpSecretSealed }).FirstAsync(cancellationToken);
        var secret = secrets.Unseal(SecretKind.TotpSeed, official.TotpSecretSealed, officialId.ToString("D"));
        try
        {
            return IdentityResult<OfficialEnrolled>.Ok(
                new OfficialEnrolled(officialId, official.Username, TotpEnrolment.For(options.TotpIssuerLabel, official.Username, secret).OtpAuthUri));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>The change, its audit row and the end of the official's sessions, in one transaction.</summary>
    private async Task CommitAsync(OfficialAccountRecord actor, OfficialAccountRecord official, Change change, ClientContext client, CancellationToken cancellationToken)
    {
        audit.StageChange(change.Method, client, new AuditedChange(actor.Id, actor.Username, official.Id, official.Username, change.Detail, change.RequestId));
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        if (change.RevokeReason is { } reason)
        {
            await tokens.RevokeAllAsync(official.Id, reason, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static IdentityFailure SelfRefused(string reason, string message)
        => new(FailureKind.FailedPrecondition, reason, message) { Field = "official_id" };

    private static string Names(IReadOnlyList<Role> roles) => string.Join(',', roles.Select(RoleNames.Name));

    /// <param name="RevokeReason">Null when the official's sessions may go on.</param>
    private sealed record Change(string Method, string? Detail, string? RevokeReason)
    {
        public string? RequestId { get; init; }
    }
}
