using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.SignIn;
using GrpcDvc.Server.Identity.Tokens;
using GrpcDvc.Server.Population;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Identity.Registration;

/// <summary>What a citizen types to open an account the SMS way; the birth date as precise as the registry holds it.</summary>
public sealed record RegistrationDetails(string? IdNumber, string? FullName, BirthDate BirthDate, string? Phone)
{
    /// <summary>The client's id for this request: a retry with the same id gets the first answer, and no second SMS.</summary>
    public string? ClientRequestId { get; init; }
}

/// <summary>
/// The seeds' account flow: ID number, name, birth date and mobile number are checked against the
/// population registry, a code goes to that mobile number, and code + a new password open the
/// account (and sign the citizen in).
/// </summary>
public sealed class CitizenRegistration(
    DvcDbContext db,
    ICitizenRegistryCheck registry,
    OtpService otp,
    AbuseLimiter limiter,
    PasswordPolicy policy,
    PasswordHasher hasher,
    SignInAudit audit,
    TokenService tokens,
    TimeProvider time)
{
    public async Task<IdentityResult<OtpSent>> StartAsync(RegistrationDetails details, ClientContext client, CancellationToken cancellationToken)
    {
        if (RegistrationInput.Check(details, time) is { } invalid)
        {
            return invalid;
        }

        var (idNumber, name, phone) = RegistrationInput.Normalize(details);
        var requestId = string.IsNullOrWhiteSpace(details.ClientRequestId) ? null : details.ClientRequestId.Trim();
        if (requestId is not null && await RetriedAsync(requestId, idNumber, cancellationToken) is { } first)
        {
            return first;
        }

        // Per address, and per ID number: one citizen's registration cannot be hammered from many addresses.
        if (await limiter.TryAcquireAsync(LimitedAction.OtpSend, client, idNumber, cancellationToken) is { } limited)
        {
            return limited;
        }

        if (await db.Set<CitizenAccountRecord>().AnyAsync(a => a.IdNumber == idNumber, cancellationToken))
        {
            return Exists();
        }

        if (await registry.MatchAsync(idNumber, name, details.BirthDate, phone, cancellationToken) != RegistryMatch.Matched)
        {
            return new IdentityFailure(FailureKind.FailedPrecondition, IdentityReasons.RegistryMismatch,
                "The details do not match the national population database; the commune police can update them.");
        }

        try
        {
            return await otp.StartAsync(new OtpChallengeRecord
            {
                Purpose = OtpPurposes.Registration,
                IdNumber = idNumber,
                FullName = name,
                BirthDate = details.BirthDate.EarliestDay,
                BirthDatePrecision = details.BirthDate.Precision,
                Phone = phone,
                ClientRequestId = requestId,
            }, requestId is null ? null : ct => RetriedAsync(requestId, idNumber, ct), cancellationToken);
        }
        catch (DbUpdateException) when (requestId is not null)
        {
            // The same request raced itself past the phone's lock (SQLite's lock is per process); the other copy's challenge stands.
            db.ChangeTracker.Clear();
            return await RetriedAsync(requestId, idNumber, cancellationToken) ?? throw new InvalidOperationException("The racing registration vanished.");
        }
    }

    /// <summary>The first answer to a retried request; a request id reused for other details is refused.</summary>
    private async Task<IdentityResult<OtpSent>?> RetriedAsync(string requestId, string idNumber, CancellationToken cancellationToken)
    {
        var earlier = await db.Set<OtpChallengeRecord>().AsNoTracking().FirstOrDefaultAsync(c => c.ClientRequestId == requestId, cancellationToken);
        if (earlier is null)
        {
            return null;
        }

        return earlier.IdNumber == idNumber
            ? IdentityResult<OtpSent>.Ok(otp.Describe(earlier))
            : IdentityFailure.Invalid(IdentityReasons.ClientRequestIdReused, "client_request_id", "This request id was used for another request.");
    }

    public async Task<IdentityResult<OtpSent>> ResendAsync(Guid challengeId, ClientContext client, CancellationToken cancellationToken)
        => await limiter.TryAcquireAsync(LimitedAction.OtpSend, client, null, cancellationToken) is { } limited ? limited : await otp.ResendAsync(challengeId, cancellationToken);

    public async Task<IdentityResult<SignedIn>> ConfirmAsync(Guid challengeId, string? code, string? password, ClientContext client, CancellationToken cancellationToken)
    {
        if (await limiter.TryAcquireAsync(LimitedAction.OtpVerify, client, null, cancellationToken) is { } limited)
        {
            return limited;
        }

        var challenge = await otp.FindAsync(challengeId, cancellationToken);
        if (challenge is not { Purpose: OtpPurposes.Registration })
        {
            return new IdentityFailure(FailureKind.NotFound, IdentityReasons.OtpNotFound, "There is no such registration.") { Field = "challenge_id" };
        }

        // The password is judged before the code, so a weak password does not burn an attempt.
        if (policy.Check(password, challenge.IdNumber, challenge.Phone) is { } weak)
        {
            return weak;
        }

        var verified = await otp.CheckAsync(challengeId, code, cancellationToken);
        if (!verified.Succeeded)
        {
            await audit.RecordAsync(SignInMethods.Registration, client, AccountKind.Citizen, null, challenge.IdNumber, verified.Failure!.Reason, cancellationToken);
            return verified.Failure;
        }

        // The code is spent in the transaction that creates the account and its session: a crash or a
        // database outage between the two would otherwise leave a spent code and no account, and the
        // citizen unable to finish (the retry is told the code is used, and no password signs in).
        // The password is hashed before it, so the transaction (SQLite's write lock) stays short.
        var passwordHash = hasher.Hash(password!);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await otp.ConsumeAsync(verified.Value!, cancellationToken) is { } spent)
        {
            return spent;
        }

        var account = new CitizenAccountRecord
        {
            Id = Guid.NewGuid(),
            IdNumber = challenge.IdNumber,
            FullName = challenge.FullName,
            BirthDate = challenge.BirthDate,
            BirthDatePrecision = challenge.BirthDatePrecision,
            Phone = challenge.Phone,
            PasswordHash = passwordHash,
            CreatedAt = time.GetUtcNow().UtcDateTime,
            LastSignInAt = time.GetUtcNow().UtcDateTime,
        };
        db.Add(account);
        audit.Stage(SignInMethods.Registration, client, AccountKind.Citizen, account.Id, account.IdNumber, null);
        try
        {
            return IdentityResult<SignedIn>.Ok(await tokens.IssueAsync(account, transaction, cancellationToken));
        }
        catch (DbUpdateException)
        {
            // PostgreSQL refuses every statement in a failed transaction: end it before looking.
            await transaction.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            if (await db.Set<CitizenAccountRecord>().AnyAsync(a => a.IdNumber == account.IdNumber, cancellationToken))
            {
                // Another registration for the same ID number won the race.
                return Exists();
            }

            throw;
        }
    }

    private static IdentityFailure Exists()
        => new(FailureKind.AlreadyExists, IdentityReasons.AccountExists, "An account exists for this ID number; sign in or reset the password.");
}
