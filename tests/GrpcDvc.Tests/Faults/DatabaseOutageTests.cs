using System.Collections.Concurrent;
using System.Globalization;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using GrpcDvc.Tests.Support;
using Xunit.Abstractions;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace GrpcDvc.Tests.Faults;

/// <summary>
/// PostgreSQL stops under load (an immediate stop: a crash of the database, recovered from its WAL at
/// the next start) and comes back a few seconds later, while a real server process keeps taking an
/// official's lookups and citizens' sign-ins. The server must answer promptly and truthfully while the
/// database is gone, say so on grpc.health.v1, come back by itself, and have lost nothing it acknowledged.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class DatabaseOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan AfterRecovery = TimeSpan.FromSeconds(3);
    private const int LookupWorkers = 6;
    private const int SignInWorkers = 2;

    // Its own cluster: the test stops it, which the shared one must never see. Commits wait for the
    // WAL (PostgreSQL's default), or the immediate stop could drop acknowledged commits by design.
    private readonly PostgresCluster _cluster = new() { SynchronousCommit = true };

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task PostgresStopsUnderLoad_CallsEndPromptlyWithUnavailable_HealthFollows_ServiceResumesAlone_NoAcknowledgedWriteLost()
    {
        var db = FaultDatabase.Postgres(await _cluster.CreateDatabaseAsync());
        // Token checks reread the signing-key ring and the revoked sessions once a minute and every 10 s in
        // production; every second here, so the outage falls on rereads as a longer one would.
        await using var server = await ServerProcess.StartAsync(
            [.. FaultServer.Args, .. db.ServerArgs, "--Dvc:Identity:SigningKeys:RefreshInterval=00:00:01", "--Dvc:Identity:RevocationRefreshInterval=00:00:01"]);
        using var channel = GrpcChannel.ForAddress($"http://{server.GrpcTarget}");
        var log = new CallLog(Deadline);
        var callers = new FaultCallers(channel, log);
        var official = await callers.SignInDemoOfficialAsync("demo.processing");
        var people = await FaultCallers.PeopleWithPhonesAsync(db, 4);
        foreach (var person in people)
        {
            await FaultServer.RegisterAsync(callers, person);
        }

        using var stopLoad = new CancellationTokenSource();
        var health = new ConcurrentQueue<(TimeSpan At, ServingStatus Status)>();
        var watching = WatchHealthAsync(channel, log, health, stopLoad.Token);
        var lookedUp = new ConcurrentBag<string>();
        var sessions = new ConcurrentBag<Guid>();
        var next = 0;
        var load = Enumerable.Range(0, LookupWorkers).Select(_ => Task.Run(async () =>
        {
            while (!stopLoad.IsCancellationRequested)
            {
                var n = Interlocked.Increment(ref next);
                var reference = string.Create(CultureInfo.InvariantCulture, $"HS-OUTAGE-{n}");
                var (found, _) = await callers.LookupAsync(official.AccessToken, FaultCallers.CitizensInDemoUnit[n % 4], reference);
                await Acknowledged(found is not null, () => lookedUp.Add(reference));
            }
        })).Concat(Enumerable.Range(0, SignInWorkers).Select(w => Task.Run(async () =>
        {
            for (var i = w; !stopLoad.IsCancellationRequested; i++)
            {
                var (tokens, _) = await callers.SignInCitizenAsync(people[i % people.Count]);
                await Acknowledged(tokens is not null, () => sessions.Add(FaultCallers.SessionOf(tokens!.AccessToken)));
            }
        }))).ToList();

        await Task.Delay(Warmup);
        var stoppedAt = log.Now;
        await _cluster.StopAsync("immediate");
        await Task.Delay(Outage);
        await _cluster.RestartAsync();
        var restartedAt = log.Now;
        var recoveredAt = await RecoveredAsync(log, health, restartedAt);
        await Task.Delay(AfterRecovery);
        var endedAt = log.Now;
        await stopLoad.CancelAsync();
        await Task.WhenAll(load);
        await watching;

        var outcomes = log.Outcomes;
        var duringOutage = outcomes.Where(o => o.StartedAt >= stoppedAt && o.StartedAt < restartedAt).ToList();
        var failed = outcomes.Where(o => o.Status != StatusCode.OK).ToList();
        var afterRecovery = outcomes.Where(o => o.StartedAt >= recoveredAt + TimeSpan.FromSeconds(1)).ToList();
        var firstNotServing = health.Where(h => h.At >= stoppedAt && h.Status == ServingStatus.NotServing).Select(h => (TimeSpan?)h.At).FirstOrDefault();
        // SERVING again after the NOT_SERVING of the outage (it may come a moment before restartedAt is taken).
        var servingAgain = health.Where(h => h.At > (firstNotServing ?? restartedAt) && h.Status == ServingStatus.Serving).Select(h => (TimeSpan?)h.At).FirstOrDefault();
        var missingLookups = lookedUp.Except(await db.TextsAsync("SELECT reference FROM data_accesses WHERE reference LIKE 'HS-OUTAGE-%'")).ToList();
        var missingSessions = sessions.Except(await db.IdsAsync("SELECT DISTINCT family_id FROM refresh_tokens")).ToList();
        var accounts = await db.TextsAsync("SELECT id_number FROM citizen_accounts");

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            load: {LookupWorkers} lookup + {SignInWorkers} sign-in callers, deadline {Deadline.TotalSeconds:0} s; {outcomes.Count} calls in {endedAt.TotalSeconds:0.0} s
            PostgreSQL stopped (immediate) at {stoppedAt.TotalSeconds:0.00} s for {Outage.TotalSeconds:0} s; started again at {restartedAt.TotalSeconds:0.00} s
            calls started during the outage: {duringOutage.Count} ({CallLog.Describe(duringOutage)})
            failed calls in all: {failed.Count} ({CallLog.Describe(failed)}); max latency of a failed call {Max(failed):0} ms, p50 {Percentile(failed, 0.5):0} ms
            health NOT_SERVING {Since(firstNotServing, stoppedAt)} after the stop; SERVING {Since(servingAgain, restartedAt)} after the start
            first successful lookup after the start: {(recoveredAt - restartedAt).TotalMilliseconds:0} ms after it
            calls from 1 s after recovery on: {afterRecovery.Count} ({CallLog.Describe(afterRecovery)})
            writes checked: {lookedUp.Count} acknowledged lookups in the access log ({missingLookups.Count} missing), {sessions.Count} acknowledged sign-ins' sessions ({missingSessions.Count} missing), {people.Count} registrations
            health seen: {string.Join(", ", health.Select(h => $"{h.Status}@{h.At.TotalSeconds:0.00}"))}
            """));

        Assert.True(duringOutage.Count > 0 && duringOutage.Any(o => o.Status != StatusCode.OK), "the load made no failing call during the outage");
        Assert.All(failed, o => Assert.Equal(StatusCode.Unavailable, o.Status));
        Assert.True(Max(failed) < Deadline.TotalMilliseconds, $"a failed call took {Max(failed):0} ms, the deadline is {Deadline.TotalMilliseconds:0} ms");
        Assert.NotNull(firstNotServing);
        Assert.NotNull(servingAgain);
        Assert.True(afterRecovery.Count > 0 && afterRecovery.All(o => o.Status == StatusCode.OK), $"after recovery: {CallLog.Describe(afterRecovery)}");
        Assert.Contains(afterRecovery, o => o.Rpc == "SignInCitizen");
        Assert.Empty(missingLookups);
        Assert.Empty(missingSessions);
        Assert.Subset(accounts, people.Select(p => p.IdNumber).ToHashSet());
    }

    /// <summary>Records the write, or backs off a little after a failure as a client would (no busy spin on a dead database).</summary>
    private static async Task Acknowledged(bool ok, Action record)
    {
        if (ok)
        {
            record();
        }
        else
        {
            await Task.Delay(50);
        }
    }

    /// <summary>When the first lookup started after the restart succeeded, and health says SERVING again; fails past the limit.</summary>
    private static async Task<TimeSpan> RecoveredAsync(CallLog log, ConcurrentQueue<(TimeSpan At, ServingStatus Status)> health, TimeSpan restartedAt)
    {
        while (log.Now - restartedAt < RecoveryLimit)
        {
            var firstOk = log.Outcomes.Where(o => o.Rpc == "LookupCitizen" && o.StartedAt >= restartedAt && o.Status == StatusCode.OK).MinBy(o => o.StartedAt);
            // The watch reports changes only, and the database takes connections a moment before pg_ctl
            // returns: health may turn SERVING just before restartedAt is taken. What counts is that it is
            // SERVING now (that it went NOT_SERVING in the outage is asserted by the caller).
            if (firstOk is not null && health.LastOrDefault().Status == ServingStatus.Serving)
            {
                return firstOk.StartedAt + firstOk.Latency;
            }

            await Task.Delay(100);
        }

        var after = log.Outcomes.Where(o => o.StartedAt >= restartedAt).GroupBy(o => $"{o.Rpc} {o.Status}").Select(g => $"{g.Key}: {g.Count()}");
        var lastHealth = health.LastOrDefault();
        throw new TimeoutException($"No successful lookup and SERVING within {RecoveryLimit.TotalSeconds:0} s of the database's restart; "
            + $"calls started since: {string.Join(", ", after)}; last health {lastHealth.Status} at {lastHealth.At.TotalSeconds:0.0} s (restart at {restartedAt.TotalSeconds:0.0} s).");
    }

    private static async Task WatchHealthAsync(GrpcChannel channel, CallLog log, ConcurrentQueue<(TimeSpan, ServingStatus)> seen, CancellationToken stop)
    {
        using var watch = new Grpc.Health.V1.Health.HealthClient(channel).Watch(new HealthCheckRequest(), cancellationToken: stop);
        try
        {
            await foreach (var update in watch.ResponseStream.ReadAllAsync(stop))
            {
                seen.Enqueue((log.Now, update.Status));
            }
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
        {
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static double Max(List<CallOutcome> calls) => calls.Count == 0 ? 0 : calls.Max(c => c.Latency.TotalMilliseconds);

    private static double Percentile(List<CallOutcome> calls, double p)
        => calls.Count == 0 ? 0 : calls.Select(c => c.Latency.TotalMilliseconds).Order().ElementAt((int)Math.Min(calls.Count - 1, Math.Floor(p * calls.Count)));

    private static string Since(TimeSpan? at, TimeSpan from)
        => at is { } t ? string.Create(CultureInfo.InvariantCulture, $"{(t - from).TotalMilliseconds:0} ms") : "never";
}
