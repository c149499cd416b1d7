using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using GrpcDvc.Tests.Support;
using Xunit.Abstractions;

namespace GrpcDvc.Tests.Faults;

/// <summary>
/// The server process is killed with SIGKILL in the middle of citizen registrations, sign-ins and
/// lookups, then started again on the same database. Judged from the tables: every acknowledged
/// write is there once, a retried registration gets its first answer, every registration cut off
/// mid-way can be finished, and nothing is half-written (an account without its session and audit
/// row, a session without its account, a spent code without the account it was spent on).
/// </summary>
public abstract class ProcessKillTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan KillNoLaterThan = TimeSpan.FromSeconds(12);
    private const int RegistrationWorkers = 3;
    private const int LookupWorkers = 2;
    private const int RegisteredBeforeKill = 5;

    /// <summary>The settings that put the server on this test's database.</summary>
    protected abstract Task<string[]> DatabaseArgsAsync();

    /// <summary>The database as the tests read it, once the server runs.</summary>
    protected abstract FaultDatabase DatabaseOf(ServerProcess server);

    [Fact]
    public async Task ServerKilledMidRegistrations_RestartsOnTheSameDatabase_EveryAcknowledgedWriteOnce_NothingHalfWritten()
    {
        await using var first = await ServerProcess.StartAsync([.. FaultServer.Args, .. await DatabaseArgsAsync()]);
        var db = DatabaseOf(first);
        var log = new CallLog(Deadline);
        var people = await FaultCallers.PeopleWithPhonesAsync(db, 40);
        var signingIn = people[^1];
        var registrations = new ConcurrentDictionary<RegistryPerson, Registration>();
        var lookedUp = new ConcurrentBag<string>();
        var sessions = new ConcurrentBag<Guid>();
        TimeSpan killedAt;
        int completedBeforeKill;
        using (var channel = GrpcChannel.ForAddress($"http://{first.GrpcTarget}"))
        {
            var callers = new FaultCallers(channel, log);
            var official = await callers.SignInDemoOfficialAsync("demo.processing");
            await FaultServer.RegisterAsync(callers, signingIn);
            var queue = new ConcurrentQueue<RegistryPerson>(people[..^1]);
            using var killed = new CancellationTokenSource();
            var next = 0;
            var load = Enumerable.Range(0, RegistrationWorkers).Select(_ => Task.Run(async () =>
            {
                while (!killed.IsCancellationRequested && queue.TryDequeue(out var person))
                {
                    var registration = registrations[person] = new Registration(Guid.NewGuid().ToString("N"));
                    await registration.RunAsync(callers, person, killed.Token);
                }
            })).Concat(Enumerable.Range(0, LookupWorkers).Select(_ => Task.Run(async () =>
            {
                while (!killed.IsCancellationRequested)
                {
                    var n = Interlocked.Increment(ref next);
                    var reference = string.Create(CultureInfo.InvariantCulture, $"HS-KILL-{n}");
                    if ((await callers.LookupAsync(official.AccessToken, FaultCallers.CitizensInDemoUnit[n % 4], reference)).Reply is not null)
                    {
                        lookedUp.Add(reference);
                    }
                }
            }))).Append(Task.Run(async () =>
            {
                while (!killed.IsCancellationRequested)
                {
                    if ((await callers.SignInCitizenAsync(signingIn)).Reply is { } tokens)
                    {
                        sessions.Add(FaultCallers.SessionOf(tokens.AccessToken));
                    }
                }
            })).ToList();

            while (registrations.Values.Count(r => r.Tokens is not null) < RegisteredBeforeKill && log.Now < KillNoLaterThan)
            {
                await Task.Delay(20);
            }

            // The workers start nothing new from here (a registration in progress stops before its next step);
            // the calls in flight meet the kill.
            await killed.CancelAsync();
            killedAt = log.Now;
            await first.KillAsync();
            await Task.WhenAll(load);
            completedBeforeKill = registrations.Values.Count(r => r.Tokens is not null);
        }

        var endedBeforeKill = log.Outcomes.Where(o => o.StartedAt + o.Latency < killedAt).ToList();
        var cutByKill = log.Outcomes.Except(endedBeforeKill).ToList();
        var restartClock = Stopwatch.StartNew();
        await using var second = await first.RestartAsync();
        var restartTook = restartClock.Elapsed;
        using var again = GrpcChannel.ForAddress($"http://{second.GrpcTarget}");
        var after = new FaultCallers(again, new CallLog(Deadline));

        // A retried start (same client request id) gets the first answer; one cut off gets an answer now.
        var sameAnswer = 0;
        foreach (var (person, registration) in registrations)
        {
            var (retried, status) = await after.StartRegistrationAsync(person, registration.RequestId);
            Assert.True(retried is not null, $"retried start for {person.IdNumber}: {status}");
            if (registration.Started is { } firstAnswer)
            {
                Assert.Equal(firstAnswer.RegistrationId, retried.RegistrationId);
                sameAnswer++;
            }

            registration.RetriedId = retried.RegistrationId;
        }

        // Every registration cut off by the kill can be finished: with the code, or (when the account was
        // committed but its reply lost) by signing in with the password it was given.
        var finished = 0;
        foreach (var (person, registration) in registrations.Where(r => r.Value.Tokens is null))
        {
            var (code, _) = await after.NewestCodeAsync(person.Phone);
            Assert.NotNull(code);
            var (tokens, status) = await after.CompleteRegistrationAsync(registration.RetriedId!, code, person.Password);
            if (tokens is null)
            {
                Assert.Equal(StatusCode.FailedPrecondition, status);
                var (signedIn, signInStatus) = await after.SignInCitizenAsync(person);
                Assert.True(signedIn is not null, $"{person.IdNumber}: the code is spent ({status}) but the account does not sign in ({signInStatus}): half-written");
            }

            finished++;
        }

        var accounts = (await db.QueryAsync("SELECT id_number, id FROM citizen_accounts")).ToDictionary(r => (string)r[0]!, r => FaultDatabase.Id(r[1]));
        var families = (await db.QueryAsync("SELECT family_id, account_id FROM refresh_tokens")).Select(r => (Family: FaultDatabase.Id(r[0]), Account: FaultDatabase.Id(r[1]))).ToHashSet();
        var acknowledged = registrations.Where(r => r.Value.Tokens is not null).ToList();
        foreach (var (person, registration) in acknowledged)
        {
            Assert.True(accounts.TryGetValue(person.IdNumber, out var account), $"acknowledged registration of {person.IdNumber} has no account");
            Assert.Contains((FaultCallers.SessionOf(registration.Tokens!.AccessToken), account), families);
        }

        var missingLookups = lookedUp.Except(await db.TextsAsync("SELECT reference FROM data_accesses WHERE reference LIKE 'HS-KILL-%'")).ToList();
        var missingSessions = sessions.Except(families.Select(f => f.Family)).ToList();
        var duplicateAccounts = await db.CountAsync("SELECT COUNT(*) - COUNT(DISTINCT id_number) FROM citizen_accounts");
        var accountsWithoutSession = await db.CountAsync(
            "SELECT COUNT(*) FROM citizen_accounts a WHERE NOT EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.account_id = a.id)");
        var accountsWithoutAudit = await db.CountAsync(
            "SELECT COUNT(*) FROM citizen_accounts a WHERE NOT EXISTS (SELECT 1 FROM sign_in_audit s WHERE s.account_id = a.id AND s.method = 'registration' AND s.succeeded)");
        var orphanSessions = await db.CountAsync(
            "SELECT COUNT(*) FROM refresh_tokens t WHERE NOT EXISTS (SELECT 1 FROM citizen_accounts a WHERE a.id = t.account_id) AND NOT EXISTS (SELECT 1 FROM official_accounts o WHERE o.id = t.account_id)");
        var spentCodesWithoutAccount = await db.CountAsync(
            "SELECT COUNT(*) FROM otp_challenges c WHERE c.purpose = 'registration' AND c.consumed_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM citizen_accounts a WHERE a.id_number = c.id_number)");
        var challengesPerRequest = await db.CountAsync("SELECT COUNT(*) - COUNT(DISTINCT client_request_id) FROM otp_challenges WHERE client_request_id IS NOT NULL");

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            killed (SIGKILL) at {killedAt.TotalSeconds:0.00} s: {completedBeforeKill} registrations acknowledged, {registrations.Count - completedBeforeKill} cut off ({registrations.Values.Count(r => r.Started is not null && r.Tokens is null)} after their start was acknowledged), {lookedUp.Count} lookups and {sessions.Count} sign-ins acknowledged
            calls ended before the kill: {CallLog.Describe(endedBeforeKill)}; in flight at the kill: {CallLog.Describe(cutByKill)}
            restart on the same database: {restartTook.TotalMilliseconds:0} ms to "listening" (the first start on the fresh database: {first.StartupTime.TotalMilliseconds:0} ms)
            retried starts (same client request id): {registrations.Count}, {sameAnswer} with an acknowledged first answer, all the same answer
            registrations finished after the restart: {finished}
            writes checked: {acknowledged.Count} acknowledged registrations (account + session), {lookedUp.Count} lookups ({missingLookups.Count} missing), {sessions.Count} sign-in sessions ({missingSessions.Count} missing); tables: {accounts.Count} accounts, {families.Count} refresh tokens
            half-written: {duplicateAccounts} duplicate accounts, {accountsWithoutSession} accounts without a session, {accountsWithoutAudit} without their audit row, {orphanSessions} orphan refresh tokens, {spentCodesWithoutAccount} spent codes without an account, {challengesPerRequest} extra challenges for one request id
            """));

        Assert.True(completedBeforeKill > 0 && registrations.Count > completedBeforeKill, "the kill did not fall in the middle of the registrations");
        Assert.All(endedBeforeKill, o => Assert.Equal(StatusCode.OK, o.Status));
        Assert.Empty(missingLookups);
        Assert.Empty(missingSessions);
        Assert.Equal(registrations.Count + 1, accounts.Count);
        Assert.Equal((0L, 0L, 0L, 0L, 0L, 0L), (duplicateAccounts, accountsWithoutSession, accountsWithoutAudit, orphanSessions, spentCodesWithoutAccount, challengesPerRequest));
    }

    /// <summary>One person's registration as the load drove it: what was acknowledged before the kill.</summary>
    private sealed class Registration(string requestId)
    {
        public string RequestId { get; } = requestId;

        public Contracts.Identity.V1.StartCitizenRegistrationResponse? Started { get; private set; }

        public Contracts.Identity.V1.TokenResponse? Tokens { get; private set; }

        public string? RetriedId { get; set; }

        public async Task RunAsync(FaultCallers callers, RegistryPerson person, CancellationToken killed)
        {
            Started = (await callers.StartRegistrationAsync(person, RequestId)).Reply;
            if (Started is null || killed.IsCancellationRequested)
            {
                return;
            }

            var (code, _) = await callers.NewestCodeAsync(person.Phone);
            if (code is null || killed.IsCancellationRequested)
            {
                return;
            }

            Tokens = (await callers.CompleteRegistrationAsync(Started.RegistrationId, code, person.Password)).Reply;
        }
    }
}

[Collection(FaultCollection.Name)]
public sealed class ProcessKillOnPostgresTests(ITestOutputHelper output) : ProcessKillTests(output), IAsyncLifetime
{
    private readonly PostgresCluster _cluster = new();
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        await _cluster.InitializeAsync();
        _connectionString = await _cluster.CreateDatabaseAsync();
    }

    public Task DisposeAsync() => _cluster.DisposeAsync();

    protected override Task<string[]> DatabaseArgsAsync() => Task.FromResult(FaultDatabase.Postgres(_connectionString).ServerArgs.ToArray());

    protected override FaultDatabase DatabaseOf(ServerProcess server) => FaultDatabase.Postgres(_connectionString);
}

[Collection(FaultCollection.Name)]
public sealed class ProcessKillOnSqliteTests(ITestOutputHelper output) : ProcessKillTests(output)
{
    protected override Task<string[]> DatabaseArgsAsync() => Task.FromResult<string[]>([]);

    protected override FaultDatabase DatabaseOf(ServerProcess server) => FaultDatabase.Sqlite(server.DataDir);
}
