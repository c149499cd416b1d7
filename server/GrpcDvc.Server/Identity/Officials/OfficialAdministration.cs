using System.Diagnostics.CodeAnalysis;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.Secrets;
using GrpcDvc.Server.Identity.SignIn;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Identity.Officials;

/// <summary>An official to create: who, for which unit, in which roles, with a first password.</summary>
public sealed record NewOfficial(string? Username, string? FullName, string? AgencyUnitCode, IReadOnlyList<Role> Roles, string? InitialPassword)
{
    /// <summary>The administrator's id for this request: a retry gets the first official back, with the same URI.</summary>
    public string? ClientRequestId { get; init; }
}

/// <summary>A created (or re-enrolled) official: the otpauth:// URI goes only to the request that asked (and its retries).</summary>
public sealed record OfficialEnrolled(Guid OfficialId, string Username, string TotpUri);

/// <summary>
/// Administrators create officials (their roles, disabling and re-enrolment are
/// <see cref="OfficialChanges"/>). The check that the caller is an administrator is repeated here,
/// whatever the rpc policy says, because these are the keys to everything else.
/// </summary>
public sealed class OfficialAdministration(
    DvcDbContext db, PasswordPolicy policy, PasswordHasher hasher, IdentitySecrets secrets, IdentityOptions options, SignInAudit audit, TimeProvider time)
{
    /// <summary>
    /// An administrator's creation, written to the sign-in audit with who made it and from where, in the same
    /// save as the account. The administrator's account is read again, as for every change to officials
    /// (<see cref="OfficialChanges"/>): an administrator disabled or demoted since signing in may still hold a
    /// token another instance accepts, and must not appoint anyone with it, least of all another administrator.
    /// </summary>
    public async Task<IdentityResult<OfficialEnrolled>> CreateAsync(CallerIdentity admin, NewOfficial official, ClientContext client, CancellationToken cancellationToken)
    {
        if (NotAdministrator(admin) is { } refused)
        {
            return refused;
        }

        var actor = await db.Set<OfficialAccountRecord>().AsNoTracking().Include(a => a.Roles).FirstOrDefaultAsync(a => a.Id == admin.AccountId, cancellationToken);
        return IsAdministratorNow(actor)
            ? await CreateCheckedAsync(admin.AccountId, official, cancellationToken, client: client)
            : NotAnAdministrator();
    }

    /// <summary>
    /// First start of a deployment: creates an administrator if there is none yet, else does
    /// nothing and returns null. The caller shows the URI to whoever installs the system.
    /// </summary>
    /// <param name="totpSecret">A configured seed; null generates one.</param>
    public async Task<IdentityResult<OfficialEnrolled>?> BootstrapAsync(NewOfficial administrator, CancellationToken cancellationToken, byte[]? totpSecret = null)
    {
        var adminRole = RoleNames.Name(Role.Administrator);
        if (await db.Set<OfficialRoleRecord>().AnyAsync(r => r.Role == adminRole, cancellationToken))
        {
            return null;
        }

        return await CreateCheckedAsync(Guid.Empty, administrator with { Roles = [Role.Administrator] }, cancellationToken, totpSecret);
    }

    /// <summary>
    /// Development only (<see cref="DemoOfficials"/>): creates a demo official with a published seed and an
    /// already computed password hash, unless the username exists; returns null when it did.
    /// </summary>
    public async Task<IdentityResult<OfficialEnrolled>?> SeedDemoAsync(NewOfficial official, string passwordHash, byte[] totpSecret, CancellationToken cancellationToken)
    {
        var username = OfficialNames.NormalizeUsername(official.Username);
        if (await db.Set<OfficialAccountRecord>().AnyAsync(a => a.Username == username, cancellationToken))
        {
            return null;
        }

        return await CreateCheckedAsync(Guid.Empty, official, cancellationToken, totpSecret, passwordHash);
    }

    private async Task<IdentityResult<OfficialEnrolled>> CreateCheckedAsync(
        Guid createdBy, NewOfficial official, CancellationToken cancellationToken, byte[]? totpSecret = null, string? passwordHash = null, ClientContext? client = null)
    {
        var username = OfficialNames.NormalizeUsername(official.Username);
        var requestId = string.IsNullOrWhiteSpace(official.ClientRequestId) ? null : official.ClientRequestId.Trim();
        if (requestId is not null && await RetriedAsync(createdBy, requestId, username, cancellationToken) is { } first)
        {
            return first;
        }

        if (Validate(official, username) is { } invalid)
        {
            return invalid;
        }

        if (await db.Set<OfficialAccountRecord>().AnyAsync(a => a.Username == username, cancellationToken))
        {
            return Taken();
        }

        var id = Guid.NewGuid();
        var enrolment = totpSecret is null
            ? TotpEnrolment.Create(options.TotpIssuerLabel, username)
            : TotpEnrolment.For(options.TotpIssuerLabel, username, totpSecret);
        db.Add(new OfficialAccountRecord
        {
            Id = id,
            Username = username,
            FullName = official.FullName!.Trim(),
            AgencyUnitCode = official.AgencyUnitCode!,
            PasswordHash = passwordHash ?? hasher.Hash(official.InitialPassword!),
            TotpSecretSealed = secrets.Seal(SecretKind.TotpSeed, enrolment.Secret, id.ToString("D")),
            CreatedBy = createdBy,
            ClientRequestId = requestId,
            CreatedAt = time.GetUtcNow().UtcDateTime,
            Roles = [.. official.Roles.Distinct().Select(r => new OfficialRoleRecord { OfficialId = id, Role = RoleNames.Name(r) })],
        });
        await StageCreationAsync(createdBy, id, username, official, client ?? ClientContext.Unknown, requestId, cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (requestId is not null && await RetriedAsync(createdBy, requestId, username, cancellationToken) is { } raced)
            {
                return raced;
            }

            if (await db.Set<OfficialAccountRecord>().AnyAsync(a => a.Username == username, cancellationToken))
            {
                return Taken();
            }

            throw;
        }

        return IdentityResult<OfficialEnrolled>.Ok(new OfficialEnrolled(id, username, enrolment.OtpAuthUri));
    }

    /// <summary>
    /// The creation's audit row: the administrator who made it (the bootstrap and the demo seeding
    /// have none, and say so in the detail), the unit and the roles given.
    /// </summary>
    private async Task StageCreationAsync(
        Guid createdBy, Guid officialId, string username, NewOfficial official, ClientContext client, string? requestId, CancellationToken cancellationToken)
    {
        var roles = string.Join(',', official.Roles.Distinct().Order().Select(RoleNames.Name));
        var actorLogin = createdBy == Guid.Empty
            ? "system"
            : await db.Set<OfficialAccountRecord>().Where(a => a.Id == createdBy).Select(a => a.Username).FirstOrDefaultAsync(cancellationToken) ?? "unknown";
        var origin = createdBy == Guid.Empty ? "start-up; " : string.Empty;
        audit.StageChange(SignInMethods.OfficialCreated, client,
            new AuditedChange(createdBy, actorLogin, officialId, username, $"{origin}{official.AgencyUnitCode} {roles}", requestId));
    }

    /// <summary>
    /// The first answer to a retried create. The URI is rebuilt from the sealed seed: the first
    /// answer may have been lost on the way, and only the administrator who made the request
    /// (same request id, same username) gets it again.
    /// </summary>
    private async Task<IdentityResult<OfficialEnrolled>?> RetriedAsync(Guid createdBy, string requestId, string username, CancellationToken cancellationToken)
    {
        var earlier = await db.Set<OfficialAccountRecord>().AsNoTracking().FirstOrDefaultAsync(a => a.ClientRequestId == requestId, cancellationToken);
        if (earlier is null)
        {
            return null;
        }

        if (earlier.CreatedBy != createdBy || earlier.Username != username)
        {
            return IdentityFailure.Invalid(IdentityReasons.ClientRequestIdReused, "client_request_id", "This request id was used for another request.");
        }

        var secret = secrets.Unseal(SecretKind.TotpSeed, earlier.TotpSecretSealed, earlier.Id.ToString("D"));
        try
        {
            return IdentityResult<OfficialEnrolled>.Ok(
                new OfficialEnrolled(earlier.Id, earlier.Username, TotpEnrolment.For(options.TotpIssuerLabel, earlier.Username, secret).OtpAuthUri));
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(secret);
        }
    }

    private IdentityFailure? Validate(NewOfficial official, string username)
    {
        if (!OfficialNames.IsValidUsername(username))
        {
            return IdentityFailure.Invalid(IdentityReasons.UsernameInvalid, "username", "3–64 lower-case letters, digits, '.', '_' or '-', starting with a letter.");
        }

        if (string.IsNullOrWhiteSpace(official.FullName) || official.FullName.Trim().Length > 200)
        {
            return IdentityFailure.Invalid(IdentityReasons.NameInvalid, "full_name", "The official's full name is required.");
        }

        if (!OfficialNames.IsValidAgencyUnit(official.AgencyUnitCode))
        {
            return IdentityFailure.Invalid(IdentityReasons.AgencyUnitInvalid, "agency_unit_code", "An agency unit code is 1–32 letters, digits, '.', '_' or '-'.");
        }

        return RolesProblem(official.Roles) ?? policy.Check(official.InitialPassword, username);
    }

    internal static IdentityFailure? RolesProblem(IReadOnlyList<Role> roles)
        => roles.Count == 0 || roles.Any(r => !RoleNames.OfficialRoles.Contains(r))
            ? IdentityFailure.Invalid(IdentityReasons.RolesInvalid, "roles", "An official holds at least one official role (not citizen).")
            : null;

    internal static IdentityFailure? NotAdministrator(CallerIdentity caller)
        => caller.Kind == AccountKind.Official && caller.HasRole(Role.Administrator) ? null : NotAnAdministrator();

    /// <summary>Whether an administrator's account, as read now, still is one (there, enabled, with the role).</summary>
    internal static bool IsAdministratorNow([NotNullWhen(true)] OfficialAccountRecord? actor)
        => actor is { Disabled: false } && actor.RoleList().Contains(Role.Administrator);

    /// <summary>The refusal of a caller who is not (or no longer) an administrator.</summary>
    internal static IdentityFailure NotAnAdministrator()
        => new(FailureKind.PermissionDenied, IdentityReasons.PermissionDenied, "Only administrators manage officials.");

    private static IdentityFailure Taken()
        => new(FailureKind.AlreadyExists, IdentityReasons.UsernameTaken, "That username is taken.") { Field = "username" };
}
