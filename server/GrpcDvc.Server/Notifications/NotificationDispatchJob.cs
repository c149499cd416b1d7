using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.Registration;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace GrpcDvc.Server.Notifications;

/// <summary>
/// Sends the outbox (table notifications) through the SMS gateway, to the mobile number on the citizen's account
/// (citizen_accounts.phone). Each message is CLAIMED before it is sent: one conditional update (on its attempts, not
/// sent, not given up) counts the attempt, marks it in flight and moves next_attempt_at a lease ahead, and commits.
/// Only then is the gateway called, and the outcome written by another conditional update on that claim: sent
/// (sent_at, gateway_message_id), refused (last_error, next_attempt_at after a doubling backoff) or, after
/// MaxAttempts, given up (given_up_at). So two instances, or a run and its own recovery after a crash, never send one
/// message twice: whoever loses the claim skips it, and a message whose claim lapsed without an outcome (the process
/// died while sending, so the gateway may have taken it) is given up as "outcome unknown" rather than sent again —
/// at most once, the loss visible in last_error. The job is also [DisallowConcurrentExecution] and clustered on
/// PostgreSQL, which already keeps runs apart; the claim is what makes a retried run safe. A message to an account
/// without a mobile number (one made from an identity assertion) is given up at once.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class NotificationDispatchJob(
    IServiceScopeFactory scopes, ISmsGateway gateway, NotificationDispatchOptions options, TimeProvider time, ILogger<NotificationDispatchJob> logger) : IJob
{
    public static readonly JobKey Key = new("notification-dispatch", "notifications");

    /// <summary>last_error while a claimed message is being sent.</summary>
    public const string InFlight = "in flight";

    public const string NoNumber = "the account has no mobile number";

    public const string OutcomeUnknown = "outcome unknown: the dispatcher stopped while sending; not sent again so it cannot arrive twice";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
        => await RunAsync(cancellationToken);

    /// <summary>One run: sends what is due; the counts of sent, refused (to retry) and given-up messages.</summary>
    public async Task<DispatchCounts> RunAsync(CancellationToken cancellationToken)
    {
        var counts = new DispatchCounts();
        var seen = new HashSet<long>();
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = Now();
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
            var due = await db.Set<NotificationRecord>().AsNoTracking()
                .Where(n => n.SentAt == null && n.GivenUpAt == null && n.NextAttemptAt <= now && !seen.Contains(n.Id))
                .OrderBy(n => n.NextAttemptAt).ThenBy(n => n.Id)
                .Take(options.BatchSize)
                .ToListAsync(cancellationToken);
            if (due.Count == 0)
            {
                break;
            }

            var accountIds = due.Select(n => n.AccountId).Distinct().ToList();
            var phones = await db.Set<CitizenAccountRecord>().AsNoTracking()
                .Where(a => accountIds.Contains(a.Id))
                .Select(a => new { a.Id, a.Phone })
                .ToDictionaryAsync(a => a.Id, a => a.Phone, cancellationToken);
            foreach (var message in due)
            {
                seen.Add(message.Id);
                // Between messages only: a send once claimed goes to its end, so shutting down leaves no claim open.
                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                await DispatchAsync(db, message, phones.GetValueOrDefault(message.AccountId), counts);
            }
        }

        if (counts.Sent + counts.Refused + counts.GivenUp > 0)
        {
            LogRun(counts.Sent, counts.Refused, counts.GivenUp);
        }

        return counts;
    }

    private async Task DispatchAsync(DvcDbContext db, NotificationRecord message, string? phone, DispatchCounts counts)
    {
        var now = Now();
        var attempts = message.Attempts;
        if (message.LastError == InFlight || string.IsNullOrEmpty(phone))
        {
            var why = message.LastError == InFlight ? OutcomeUnknown : NoNumber;
            if (await Unsent(db, message.Id, attempts)
                    .ExecuteUpdateAsync(s => s.SetProperty(n => n.GivenUpAt, now).SetProperty(n => n.LastError, why)) == 1)
            {
                counts.GivenUp++;
                LogGaveUp(message.Id, why);
            }

            return;
        }

        var claimed = await Unsent(db, message.Id, attempts).Where(n => n.NextAttemptAt <= now)
            .ExecuteUpdateAsync(s => s
                .SetProperty(n => n.Attempts, attempts + 1)
                .SetProperty(n => n.LastError, InFlight)
                .SetProperty(n => n.NextAttemptAt, now + options.ClaimLease));
        if (claimed == 0)
        {
            return; // another instance, or an earlier round, took it
        }

        SmsSendResult result;
        try
        {
            result = await gateway.SendAsync(phone, message.Text, CancellationToken.None);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or IOException or DbUpdateException)
        {
            result = SmsSendResult.Refused($"gateway error: {e.GetType().Name}");
        }

        now = Now();
        var claim = Unsent(db, message.Id, attempts + 1);
        if (result.Accepted)
        {
            await claim.ExecuteUpdateAsync(s => s
                .SetProperty(n => n.SentAt, now)
                .SetProperty(n => n.GatewayMessageId, result.MessageId)
                .SetProperty(n => n.LastError, (string?)null));
            counts.Sent++;
            return;
        }

        var error = Bounded(result.Error ?? "refused");
        if (attempts + 1 >= options.MaxAttempts)
        {
            await claim.ExecuteUpdateAsync(s => s.SetProperty(n => n.GivenUpAt, now).SetProperty(n => n.LastError, error));
            counts.GivenUp++;
            LogGaveUp(message.Id, error);
            return;
        }

        var next = now + options.BackoffAfter(attempts + 1);
        await claim.ExecuteUpdateAsync(s => s.SetProperty(n => n.NextAttemptAt, next).SetProperty(n => n.LastError, error));
        counts.Refused++;
    }

    /// <summary>The message while unsent, not given up and at <paramref name="attempts"/>: the condition of every write.</summary>
    private static IQueryable<NotificationRecord> Unsent(DvcDbContext db, long id, int attempts)
        => db.Set<NotificationRecord>().Where(n => n.Id == id && n.SentAt == null && n.GivenUpAt == null && n.Attempts == attempts);

    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());

    private static string Bounded(string text) => text.Length <= 300 ? text : text[..300];

    [LoggerMessage(EventId = 1901, Level = LogLevel.Information, Message = "Notification dispatch: {Sent} sent, {Refused} refused (to retry), {GivenUp} given up.")]
    private partial void LogRun(int sent, int refused, int givenUp);

    [LoggerMessage(EventId = 1902, Level = LogLevel.Warning, Message = "Notification {Id} given up: {Reason}.")]
    private partial void LogGaveUp(long id, string reason);
}

/// <summary>What one dispatch run did.</summary>
public sealed class DispatchCounts
{
    public int Sent { get; set; }

    public int Refused { get; set; }

    public int GivenUp { get; set; }
}
