using System.Globalization;
using System.Security.Cryptography;
using GrpcDvc.Server.Identity.Secrets;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Identity.Registration;

/// <summary>A code is on its way: the challenge to confirm it against, and when it runs out.</summary>
public sealed record OtpSent(Guid ChallengeId, DateTime ExpiresAt, DateTime ResendAvailableAt, string SmsMessageId);

/// <summary>
/// Six-digit SMS codes: drawn from a CSPRNG, stored sealed with Data Protection (IdentitySecrets),
/// compared in constant time, valid 5 minutes, dead after 5 wrong tries; sends throttled per
/// phone (60 s apart, 5 an hour). Counters live in the database, so they hold across instances;
/// attempts are counted with a conditional UPDATE, never read-then-write.
/// </summary>
public sealed class OtpService(DvcDbContext db, ISmsGateway sms, IdentitySecrets secrets, IdentityOptions options, OtpPhoneLocks locks, TimeProvider time)
{
    private OtpOptions Settings => options.Otp;

    /// <summary>
    /// Creates a challenge for the given details and texts its code; nothing is stored if the SMS is refused.
    /// <paramref name="earlier"/> is asked first, once no other send to the phone is under way: a copy of the
    /// same request that was sending meanwhile has committed by then, and its answer is the one to give.
    /// </summary>
    public Task<IdentityResult<OtpSent>> StartAsync(
        OtpChallengeRecord draft, Func<CancellationToken, Task<IdentityResult<OtpSent>?>>? earlier, CancellationToken cancellationToken)
        => AloneOnPhoneAsync<IdentityResult<OtpSent>>(draft.Phone, async () =>
        {
            if (earlier is not null && await earlier(cancellationToken) is { } first)
            {
                return first;
            }

            var now = Now;
            if (await ThrottleAsync(draft.Phone, now, cancellationToken) is { } throttled)
            {
                return throttled;
            }

            draft.Id = Guid.NewGuid();
            draft.CreatedAt = now;
            var sent = await SendCodeAsync(draft, now, cancellationToken);
            if (!sent.Succeeded)
            {
                return sent.Failure!;
            }

            db.Add(draft);
            await db.SaveChangesAsync(cancellationToken);
            return IdentityResult<OtpSent>.Ok(Describe(draft, sent.Value));
        }, cancellationToken);

    /// <summary>Texts a fresh code for a live challenge; the old code stops working.</summary>
    public async Task<IdentityResult<OtpSent>> ResendAsync(Guid challengeId, CancellationToken cancellationToken)
    {
        var phone = await db.Set<OtpChallengeRecord>().Where(c => c.Id == challengeId).Select(c => c.Phone).FirstOrDefaultAsync(cancellationToken);
        if (phone is null)
        {
            return NotFound();
        }

        // Read again once alone on the phone: a resend racing this one may have sent meanwhile.
        return await AloneOnPhoneAsync<IdentityResult<OtpSent>>(phone, async () =>
        {
            var now = Now;
            var challenge = await db.Set<OtpChallengeRecord>().FirstOrDefaultAsync(c => c.Id == challengeId, cancellationToken);
            if (challenge is null)
            {
                return NotFound();
            }

            if (Dead(challenge) is { } dead)
            {
                return dead;
            }

            if (await ThrottleAsync(challenge.Phone, now, cancellationToken) is { } throttled)
            {
                return throttled;
            }

            var sent = await SendCodeAsync(challenge, now, cancellationToken);
            if (!sent.Succeeded)
            {
                return sent.Failure!;
            }

            await db.SaveChangesAsync(cancellationToken);
            return IdentityResult<OtpSent>.Ok(Describe(challenge, sent.Value));
        }, cancellationToken);
    }

    public Task<OtpChallengeRecord?> FindAsync(Guid challengeId, CancellationToken cancellationToken)
        => db.Set<OtpChallengeRecord>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == challengeId, cancellationToken);

    /// <summary>
    /// Checks a code and uses up an attempt either way (the attempt commits at once, whatever follows); a
    /// right one returns the challenge, still unspent: the caller spends it with <see cref="ConsumeAsync"/>
    /// in the transaction that writes what the code confirms.
    /// </summary>
    public async Task<IdentityResult<OtpChallengeRecord>> CheckAsync(Guid challengeId, string? code, CancellationToken cancellationToken)
    {
        var challenges = db.Set<OtpChallengeRecord>();
        var challenge = await challenges.AsNoTracking().FirstOrDefaultAsync(c => c.Id == challengeId, cancellationToken);
        if (challenge is null)
        {
            return NotFound();
        }

        if (Dead(challenge) is { } dead)
        {
            return dead;
        }

        // Claim an attempt first, atomically: parallel guesses cannot exceed the limit.
        var max = Settings.MaxAttempts;
        var claimed = await challenges
            .Where(c => c.Id == challengeId && c.Attempts < max && c.ConsumedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Attempts, c => c.Attempts + 1), cancellationToken);
        if (claimed == 0)
        {
            return Exhausted();
        }

        var attemptsNow = challenge.Attempts + 1;
        if (!secrets.OtpCodeMatches(challenge.Id, challenge.CodeSealed, code))
        {
            return attemptsNow >= max
                ? Exhausted()
                : new IdentityFailure(FailureKind.Unauthenticated, IdentityReasons.OtpInvalid, "The code is not correct.")
                {
                    Field = "code",
                    AttemptsLeft = max - attemptsNow,
                };
        }

        return IdentityResult<OtpChallengeRecord>.Ok(challenge);
    }

    /// <summary>Spends a checked challenge; of two spending it at once, one wins and the other is told it is used.</summary>
    public async Task<IdentityFailure?> ConsumeAsync(OtpChallengeRecord challenge, CancellationToken cancellationToken)
    {
        var now = Now;
        var consumed = await db.Set<OtpChallengeRecord>()
            .Where(c => c.Id == challenge.Id && c.ConsumedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ConsumedAt, now), cancellationToken);
        if (consumed == 0)
        {
            return Used();
        }

        challenge.ConsumedAt = now;
        return null;
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private IdentityFailure? Dead(OtpChallengeRecord challenge)
    {
        if (challenge.ConsumedAt is not null)
        {
            return Used();
        }

        if (challenge.Attempts >= Settings.MaxAttempts)
        {
            return Exhausted();
        }

        return Now >= challenge.ExpiresAt
            ? new IdentityFailure(FailureKind.FailedPrecondition, IdentityReasons.OtpExpired, "The code has expired; ask for a new one.")
            : null;
    }

    /// <summary>
    /// Runs a send to <paramref name="phone"/> with no other send to it under way, on any instance, so the throttle's
    /// read of the sends so far and the send it allows are one step: otherwise two requests at once both find the
    /// phone quiet and both send. PostgreSQL: a transaction holding an advisory lock on the phone until the send is
    /// saved (the SMS gateway commits on its own connection, so holding it there blocks nothing else). SQLite has no
    /// such lock and serves one process: a lock of this process (<see cref="OtpPhoneLocks"/>).
    /// </summary>
    private async Task<T> AloneOnPhoneAsync<T>(string phone, Func<Task<T>> send, CancellationToken cancellationToken)
    {
        if (!db.Database.IsNpgsql())
        {
            var gate = locks.For(phone);
            await gate.WaitAsync(cancellationToken);
            try
            {
                return await send();
            }
            finally
            {
                gate.Release();
            }
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(hashtextextended({"otp-phone:" + phone}, 0))", cancellationToken);
        var result = await send();
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private async Task<IdentityFailure?> ThrottleAsync(string phone, DateTime now, CancellationToken cancellationToken)
    {
        var hourAgo = now.AddHours(-1);
        var recent = await db.Set<OtpSendRecord>().AsNoTracking()
            .Where(s => s.Phone == phone && s.SentAt > hourAgo)
            .Select(s => s.SentAt)
            .ToListAsync(cancellationToken);
        if (recent.Count > 0 && recent.Max() + Settings.ResendInterval > now)
        {
            return new IdentityFailure(FailureKind.RateLimited, IdentityReasons.OtpResendTooSoon, "A code was sent moments ago; wait before asking again.")
            {
                RetryAfter = recent.Max() + Settings.ResendInterval - now,
            };
        }

        if (recent.Count >= Settings.MaxSendsPerPhonePerHour)
        {
            return new IdentityFailure(FailureKind.RateLimited, IdentityReasons.OtpSendLimit, "Too many codes were sent to this number in the last hour.")
            {
                RetryAfter = recent.Min().AddHours(1) - now,
            };
        }

        return null;
    }

    private async Task<IdentityResult<string>> SendCodeAsync(OtpChallengeRecord challenge, DateTime now, CancellationToken cancellationToken)
    {
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        var minutes = (int)Math.Ceiling(Settings.Lifetime.TotalMinutes);
        var text = $"GrpcDvc: Ma xac thuc (OTP) cua ban la {code}, hieu luc {minutes} phut. Khong cung cap ma nay cho bat ky ai.";
        var result = await sms.SendAsync(challenge.Phone, text, cancellationToken);
        if (!result.Accepted)
        {
            return new IdentityFailure(FailureKind.Unavailable, IdentityReasons.SmsDeliveryFailed, "The SMS could not be sent; try again shortly.");
        }

        challenge.CodeSealed = secrets.SealOtpCode(challenge.Id, code);
        challenge.ExpiresAt = now + Settings.Lifetime;
        challenge.LastSentAt = now;
        challenge.SendCount++;
        db.Add(new OtpSendRecord { Phone = challenge.Phone, ChallengeId = challenge.Id, SentAt = now });
        return IdentityResult<string>.Ok(result.MessageId ?? "");
    }

    private OtpSent Describe(OtpChallengeRecord challenge, string messageId)
        => new(challenge.Id, challenge.ExpiresAt, challenge.LastSentAt + Settings.ResendInterval, messageId);

    /// <summary>A challenge as sent, for answering a retried request (the gateway's message id is not kept).</summary>
    public OtpSent Describe(OtpChallengeRecord challenge) => Describe(challenge, "");

    private static IdentityFailure NotFound()
        => new(FailureKind.NotFound, IdentityReasons.OtpNotFound, "There is no such code challenge.") { Field = "challenge_id" };

    private static IdentityFailure Used()
        => new(FailureKind.FailedPrecondition, IdentityReasons.OtpAlreadyUsed, "The code has been used already.");

    private static IdentityFailure Exhausted()
        => new(FailureKind.FailedPrecondition, IdentityReasons.OtpAttemptsExhausted, "Too many wrong codes; start again for a new one.");
}
