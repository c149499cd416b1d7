using System.Threading.RateLimiting;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.SignIn;
using GrpcDvc.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Quartz;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// The sign-in and OTP limits counted in the database (AbuseCounters, the default AddIdentity
/// registers), through AbuseLimiter as the sign-in and registration use cases call it. Each
/// "instance" is its own container (AddIdentity, own limiter and connections) on one database:
/// two on PostgreSQL, one on SQLite (the single-instance default). Time is a fake clock per
/// instance, moved together.
/// </summary>
public abstract class AbuseCounterTests : IAsyncLifetime
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
    private static readonly ClientContext Client = new("203.0.113.7");

    private IdentityHarness[] _instances = [];

    /// <summary>Permits per window of the rules the tests use.</summary>
    protected static Dictionary<string, string?> Settings => new()
    {
        ["Dvc:Identity:RateLimits:SignInPerAddress:Permits"] = "5",
        ["Dvc:Identity:RateLimits:SignInPerAddress:Window"] = "00:05:00",
        ["Dvc:Identity:RateLimits:SignInPerAccount:Permits"] = "3",
        ["Dvc:Identity:RateLimits:SignInPerAccount:Window"] = "00:05:00",
        ["Dvc:Identity:RateLimits:OtpSendPerAddress:Permits"] = "7",
    };

    public async Task InitializeAsync() => _instances = await StartInstancesAsync();

    public async Task DisposeAsync()
    {
        foreach (var instance in _instances.Distinct())
        {
            await instance.DisposeAsync();
        }
    }

    /// <summary>The instances sharing one database (the same one twice where there is only one).</summary>
    protected abstract Task<IdentityHarness[]> StartInstancesAsync();

    private IdentityHarness First => _instances[0];

    private IdentityHarness Second => _instances[^1];

    [Fact]
    public void Default_BruteForceLimits_AreTheDatabaseCounters()
        => Assert.IsType<AbuseCounters>(First.Services.GetRequiredService<PartitionedRateLimiter<RateLimitKey>>());

    [Fact]
    public async Task Counters_SignInsSpreadOverInstances_AreRefusedOnceTheTotalReachesTheRule_WithTheWaitToTheWindowsEnd()
    {
        Assert.Null(await SignInAsync(First, Client, "citizen:001203004567"));
        Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await SignInAsync(Second, Client, "citizen:001203004567"));
        Assert.Null(await SignInAsync(First, Client, "citizen:001203004567"));

        var refused = await SignInAsync(Second, Client, "citizen:001203004567");

        Assert.Equal((FailureKind.RateLimited, IdentityReasons.RateLimited), (refused?.Kind, refused?.Reason));
        // The window began with the first sign-in a minute ago: exactly four minutes are left.
        Assert.Equal(Window - TimeSpan.FromMinutes(1), refused?.RetryAfter);
        Assert.NotNull(await SignInAsync(First, Client, "citizen:001203004567"));
    }

    [Fact]
    public async Task Counters_WindowEnds_TheLimitResets()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(await SignInAsync(_instances[i % _instances.Length], Client, "citizen:001203004567"));
        }

        Advance(Window - TimeSpan.FromMilliseconds(1));
        Assert.Equal(TimeSpan.FromMilliseconds(1), (await SignInAsync(Second, Client, "citizen:001203004567"))?.RetryAfter);
        Advance(TimeSpan.FromMilliseconds(1));

        Assert.Null(await SignInAsync(Second, Client, "citizen:001203004567"));
        Assert.Null(await SignInAsync(First, Client, "citizen:001203004567"));
        Assert.Null(await SignInAsync(Second, Client, "citizen:001203004567"));
        Assert.NotNull(await SignInAsync(First, Client, "citizen:001203004567"));
    }

    [Fact]
    public async Task Counters_RefusalByAccount_DoesNotUseUpTheAddress()
    {
        for (var i = 0; i < 3; i++)
        {
            await SignInAsync(First, Client, "citizen:001203004567");
        }

        // Refused by the account rule twice, on both instances; the address still has its 2 remaining permits.
        Assert.NotNull(await SignInAsync(First, Client, "citizen:001203004567"));
        Assert.NotNull(await SignInAsync(Second, Client, "citizen:001203004567"));
        Assert.Null(await SignInAsync(Second, Client, "citizen:079088001234"));
        Assert.Null(await SignInAsync(First, Client, "citizen:079088001234"));
        Assert.NotNull(await SignInAsync(Second, Client, "citizen:079088001234"));
    }

    [Fact]
    public async Task Counters_TakenWithoutAwaiting_CountTheSame()
    {
        // AttemptAcquire blocks on the database, for callers that cannot await; both ways share the counters.
        var blocking = new AbuseLimiter(First.Services.GetRequiredService<PartitionedRateLimiter<RateLimitKey>>(), First.Services.GetRequiredService<IdentityOptions>());
        Assert.Null(blocking.TryAcquire(LimitedAction.SignIn, Client, "citizen:001203004567"));
        Assert.Null(await SignInAsync(Second, Client, "citizen:001203004567"));
        Assert.Null(blocking.TryAcquire(LimitedAction.SignIn, Client, "citizen:001203004567"));

        Assert.Equal(Window, blocking.TryAcquire(LimitedAction.SignIn, Client, "citizen:001203004567")?.RetryAfter);
    }

    [Fact]
    public async Task Counters_ActionsAndAddresses_AreCountedApart()
    {
        for (var i = 0; i < 5; i++)
        {
            Assert.Null(await SignInAsync(First, Client, null));
        }

        Assert.NotNull(await SignInAsync(Second, Client, null));
        Assert.Null(await SignInAsync(Second, new ClientContext("198.51.100.9"), null));
        Assert.Null(await Limiter(Second).TryAcquireAsync(LimitedAction.OtpSend, Client, null, CancellationToken.None));
    }

    [Fact]
    public async Task Counters_ManyParallelAcquirersOnEveryInstance_AdmitExactlyThePermits()
    {
        // 2 × 40 OTP sends for one address at once; the rule lets 7 through per window.
        var attempts = Enumerable.Range(0, 80).Select(i => Task.Run(async () =>
            await Limiter(_instances[i % _instances.Length]).TryAcquireAsync(LimitedAction.OtpSend, Client, null, CancellationToken.None)));

        var results = await Task.WhenAll(attempts);

        Assert.Equal(7, results.Count(r => r is null));
        Assert.All(results.Where(r => r is not null), r => Assert.Equal(FailureKind.RateLimited, r!.Kind));
    }

    [Fact]
    public async Task Counters_DatabaseFails_TheRequestIsRefusedAsUnavailable_NotLetThrough()
    {
        await First.QueryAsync(db => db.Database.ExecuteSqlRawAsync("ALTER TABLE abuse_counters RENAME TO abuse_counters_gone"));

        var refused = await SignInAsync(First, Client, "citizen:001203004567");

        Assert.Equal((FailureKind.Unavailable, IdentityReasons.RateLimitsUnavailable), (refused?.Kind, refused?.Reason));
        Assert.Equal(AbuseLimiter.UnavailableRetry, refused?.RetryAfter);
        Assert.Contains("try again", refused?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Counters_DatabaseFails_ATakeWithoutAwaiting_ThrowsTheFailure_NeverGrantsOrAnswersEmpty()
    {
        // The blocking path has no refusal to give: the database's failure itself must reach the caller.
        await First.QueryAsync(db => db.Database.ExecuteSqlRawAsync("ALTER TABLE abuse_counters RENAME TO abuse_counters_gone"));
        var counters = First.Services.GetRequiredService<PartitionedRateLimiter<RateLimitKey>>();

        Assert.ThrowsAny<System.Data.Common.DbException>(() => counters.AttemptAcquire(new RateLimitKey(LimitedAction.SignIn, RateLimitScope.Address, "203.0.113.7")));
    }

    [Fact]
    public async Task Purge_DeletesTheEndedWindowsOnly_AndChangesNoAnswer()
    {
        Assert.Null(await SignInAsync(First, Client, "citizen:001203004567"));
        Advance(TimeSpan.FromMinutes(3));
        Assert.Null(await SignInAsync(First, new ClientContext("198.51.100.9"), null));
        // The first window ended (plus the clock-skew allowance); the second has a minute left.
        Advance(Window - TimeSpan.FromMinutes(1));

        var purged = await PurgeJob(First).RunAsync(CancellationToken.None);

        Assert.Equal(2, purged);
        var left = await First.QueryAsync(db => db.Set<AbuseCounterRecord>().AsNoTracking().ToListAsync());
        Assert.Equal([(nameof(LimitedAction.SignIn), nameof(RateLimitScope.Address), AbuseCounters.SubjectOf("198.51.100.9"))],
            left.Select(c => (c.Action, c.Scope, c.Subject)));
        Assert.Null(await SignInAsync(Second, Client, "citizen:001203004567"));
    }

    [Fact]
    public async Task Purge_KeepsAWindowForTheClockSkewPastItsEnd_AndDeletesItJustAfter()
    {
        Assert.Null(await SignInAsync(First, Client, null));
        var skew = First.Services.GetRequiredService<IdentityOptions>().ClockSkew;
        var purge = PurgeJob(First);

        // Ended just now, then exactly one skew ago: an instance whose clock runs behind may still count in it.
        Advance(Window);
        var justEnded = await purge.RunAsync(CancellationToken.None);
        Advance(skew);
        var skewAgo = await purge.RunAsync(CancellationToken.None);
        Advance(TimeSpan.FromMilliseconds(1));
        var past = await purge.RunAsync(CancellationToken.None);

        Assert.Equal((0, 0, 1), (justEnded, skewAgo, past));
    }

    [Fact]
    public async Task Counters_ARefusal_NamesItsRetryAfterAmongItsMetadata_AGrantNone()
    {
        var counters = First.Services.GetRequiredService<PartitionedRateLimiter<RateLimitKey>>();
        var key = new RateLimitKey(LimitedAction.SignIn, RateLimitScope.Account, "citizen:001203004568");
        var granted = new List<RateLimitLease>();
        for (var i = 0; i < 3; i++)
        {
            granted.Add(await counters.AcquireAsync(key, 1));
        }

        using var refused = await counters.AcquireAsync(key, 1);

        Assert.All(granted, lease => Assert.Empty(lease.MetadataNames));
        Assert.False(refused.IsAcquired);
        Assert.Equal([MetadataName.RetryAfter.Name], refused.MetadataNames);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var wait));
        Assert.Equal(Window, wait);
        granted.ForEach(lease => lease.Dispose());
    }

    [Fact]
    public async Task PurgeJob_Registered_RunsEveryPurgeInterval_OnTheInjectedClock()
    {
        var scheduler = await First.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();

        var trigger = Assert.Single(await scheduler.GetTriggersOfJob(AbuseCounterPurgeJob.Key));

        Assert.Equal(TimeSpan.FromMinutes(10), Assert.IsAssignableFrom<ISimpleTrigger>(trigger).RepeatInterval);
        Assert.Equal(First.Time.GetUtcNow() + TimeSpan.FromMinutes(10), trigger.StartTimeUtc);
    }

    private static AbuseCounterPurgeJob PurgeJob(IdentityHarness instance) => new(
        instance.Services.GetRequiredService<IServiceScopeFactory>(), instance.Services.GetRequiredService<IdentityOptions>(),
        instance.Time, NullLogger<AbuseCounterPurgeJob>.Instance);

    protected static IdentityHarness StartInstance(string? postgres = null) => IdentityHarness.Start(postgres, Settings);

    private static AbuseLimiter Limiter(IdentityHarness instance) => instance.Services.GetRequiredService<AbuseLimiter>();

    private static Task<IdentityFailure?> SignInAsync(IdentityHarness instance, ClientContext client, string? account)
        => Limiter(instance).TryAcquireAsync(LimitedAction.SignIn, client, account, CancellationToken.None).AsTask();

    private void Advance(TimeSpan by)
    {
        foreach (var instance in _instances.Distinct())
        {
            instance.Time.Advance(by);
        }
    }
}

public sealed class AbuseCountersOnSqliteTests : AbuseCounterTests
{
    private IdentityHarness _only = null!;

    protected override Task<IdentityHarness[]> StartInstancesAsync()
    {
        _only = StartInstance();
        return Task.FromResult<IdentityHarness[]>([_only, _only]);
    }

    [Fact]
    public async Task Counters_AReaderHoldingTheDatabase_NeitherDelaysNorFailsTheCount()
    {
        var limiter = _only.Services.GetRequiredService<AbuseLimiter>();
        Assert.Null(await limiter.TryAcquireAsync(LimitedAction.SignIn, new ClientContext("203.0.113.7"), null, CancellationToken.None));
        await using var reader = await _only.QueryAsync(async db =>
        {
            // A read transaction that has read the table: in the rollback journal the counter's commit
            // waited for it to end (or failed as "database is locked"); in the write-ahead log it does not.
            var connection = new SqliteConnection(db.Database.GetConnectionString());
            await connection.OpenAsync();
            using var command = connection.CreateCommand();
            command.CommandText = "BEGIN; SELECT count(*) FROM abuse_counters;";
            await command.ExecuteScalarAsync();
            return connection;
        });

        // Microsoft.Data.Sqlite's async calls run synchronously: on another thread, so a wait would show as a time-out here.
        var counting = Task.Run(() => limiter.TryAcquireAsync(LimitedAction.SignIn, new ClientContext("203.0.113.7"), null, CancellationToken.None).AsTask());
        Assert.Null(await counting.WaitAsync(TimeSpan.FromSeconds(10)));
        await using var end = reader.CreateCommand();
        end.CommandText = "COMMIT";
        await end.ExecuteNonQueryAsync();
    }
}

[Collection(PostgresCollection.Name)]
public sealed class AbuseCountersOnPostgresTests(PostgresCluster cluster) : AbuseCounterTests
{
    protected override async Task<IdentityHarness[]> StartInstancesAsync()
    {
        var database = await cluster.CreateDatabaseAsync();
        return [StartInstance(database), StartInstance(database)];
    }
}
