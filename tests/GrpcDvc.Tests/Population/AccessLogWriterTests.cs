using Grpc.Core;
using GrpcDvc.Client;
using GrpcDvc.Contracts.Population.V1;
using GrpcDvc.Server.Population.DataAccessLog;
using GrpcDvc.Server.Storage;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using static GrpcDvc.Tests.Population.PopulationServiceTests;
using static GrpcDvc.Tests.Population.RegistryServer;

namespace GrpcDvc.Tests.Population;

/// <summary>
/// The group commit of the access log: concurrent reads share one transaction, and no reply leaves
/// before its own entry is committed. The writer's transactions are held at a gate, so what waits
/// behind a batch is known exactly. Once per provider.
/// </summary>
public abstract class AccessLogWriterTests : IAsyncLifetime
{
    private readonly WriterGate _gate = new();

    private RegistryServer Registry { get; set; } = null!;

    private AccessLogWriter Writer => Registry.Server.Services.GetRequiredService<AccessLogWriter>();

    public async Task InitializeAsync()
        => Registry = await RegistryServer.StartAsync(await PostgresAsync(), services =>
            services.ConfigureDbContext<DvcDbContext>(db => db.AddInterceptors(_gate)), "--Dvc:Population:AccessLog:Committers=1");

    public async Task DisposeAsync()
    {
        _gate.Open();
        await Registry.DisposeAsync();
    }

    protected abstract Task<string?> PostgresAsync();

    protected abstract string BreakAccessLogSql { get; }

    [Fact]
    public async Task GroupCommit_ReadsArrivingDuringACommit_AreWrittenTogetherInTheNextTransaction()
    {
        var idNumber = (await Registry.Data.AddCitizenAsync("Mai Văn Hùng", 1970)).IdNumber;
        _gate.Close();

        var first = LookupAsync(idNumber);
        await _gate.HeldAsync();
        var later = Enumerable.Range(0, 20).Select(_ => LookupAsync(idNumber)).ToList();
        await WaitUntilAsync(() => Writer.Waiting == 20);
        _gate.Open();

        await Task.WhenAll([first, .. later]);
        Assert.Equal([1, 20], _gate.BatchSizes);
        Assert.Equal(21, await Registry.WithDbAsync(db => db.Set<DataAccessRecord>().CountAsync()));
    }

    [Fact]
    public async Task GroupCommit_WithTwoCommitters_TwoReadsCommitAtOnce_AndTheRestWaitForOneBatch()
    {
        await using var registry = await RegistryServer.StartAsync(await PostgresAsync(), services =>
            services.ConfigureDbContext<DvcDbContext>(db => db.AddInterceptors(_gate)), "--Dvc:Population:AccessLog:Committers=2");
        var writer = registry.Server.Services.GetRequiredService<AccessLogWriter>();
        var idNumber = (await registry.Data.AddCitizenAsync("Mai Văn Hùng", 1970)).IdNumber;
        _gate.Close();

        var lookups = new List<Task<LookupCitizenResponse>>
        {
            registry.Population.LookupCitizenAsync(Lookup(idNumber, AccessPurpose.IdentityVerification), As(OfficerA)).ResponseAsync,
            registry.Population.LookupCitizenAsync(Lookup(idNumber, AccessPurpose.IdentityVerification), As(OfficerA)).ResponseAsync,
        };
        await WaitUntilAsync(() => _gate.BatchSizes.Count == 2);
        lookups.AddRange(Enumerable.Range(0, 10).Select(_ =>
            registry.Population.LookupCitizenAsync(Lookup(idNumber, AccessPurpose.IdentityVerification), As(OfficerA)).ResponseAsync));
        await WaitUntilAsync(() => writer.Waiting == 10);
        _gate.Open();

        await Task.WhenAll(lookups);
        Assert.Equal([1, 1, 10], _gate.BatchSizes);
    }

    [Fact]
    public async Task GroupCommit_AReply_WaitsUntilItsEntryIsCommitted()
    {
        var idNumber = (await Registry.Data.AddCitizenAsync("Mai Văn Hùng", 1970)).IdNumber;
        _gate.Close();

        var lookup = LookupAsync(idNumber);
        await _gate.HeldAsync();
        await Task.Delay(300);
        Assert.False(lookup.IsCompleted, "The reply left while its access-log entry was still uncommitted.");

        _gate.Open();
        Assert.Equal("Mai Văn Hùng", (await lookup).Citizen.FullName);
    }

    [Fact]
    public async Task GroupCommit_WhenABatchFails_EveryReadInItAnswersUnavailableWithNoData()
    {
        var idNumber = (await Registry.Data.AddCitizenAsync("Mai Văn Hùng", 1970)).IdNumber;
        await Registry.ExecuteSqlAsync(BreakAccessLogSql);
        _gate.Close();

        var first = LookupAsync(idNumber);
        await _gate.HeldAsync();
        var later = Enumerable.Range(0, 5).Select(_ => LookupAsync(idNumber)).ToList();
        await WaitUntilAsync(() => Writer.Waiting == 5);
        _gate.Open();

        foreach (var read in (IEnumerable<Task<LookupCitizenResponse>>)[first, .. later])
        {
            var ex = await Assert.ThrowsAsync<RpcException>(() => read);
            Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
            Assert.Equal("ACCESS_LOG_UNAVAILABLE", ex.GetErrorInfo()!.Reason);
        }

        Assert.Equal([1, 5], _gate.BatchSizes);
        Assert.Equal(0, await Registry.WithDbAsync(db => db.Set<DataAccessRecord>().CountAsync()));
    }

    private Task<LookupCitizenResponse> LookupAsync(string idNumber)
        => Registry.Population.LookupCitizenAsync(Lookup(idNumber, AccessPurpose.IdentityVerification), As(OfficerA)).ResponseAsync;

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "The reads never reached the writer.");
            await Task.Delay(10);
        }
    }

    /// <summary>Holds every save of access-log entries while closed, and notes how many each one wrote.</summary>
    private sealed class WriterGate : SaveChangesInterceptor
    {
        private readonly Lock _lock = new();
        private readonly List<int> _batchSizes = [];
        private TaskCompletionSource _open = Opened();
        private TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<int> BatchSizes
        {
            get
            {
                lock (_lock)
                {
                    return [.. _batchSizes];
                }
            }
        }

        public void Close()
        {
            lock (_lock)
            {
                _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        public void Open()
        {
            lock (_lock)
            {
                _open.TrySetResult();
            }
        }

        /// <summary>Returns once a save is waiting at the closed gate.</summary>
        public Task HeldAsync()
        {
            lock (_lock)
            {
                return _held.Task.WaitAsync(TimeSpan.FromSeconds(20));
            }
        }

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
            DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            var entries = eventData.Context!.ChangeTracker.Entries<DataAccessRecord>().Count();
            if (entries > 0)
            {
                Task open;
                lock (_lock)
                {
                    _batchSizes.Add(entries);
                    _held.TrySetResult();
                    open = _open.Task;
                }

                await open;
            }

            return result;
        }

        private static TaskCompletionSource Opened()
        {
            var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            open.SetResult();
            return open;
        }
    }
}

public sealed class AccessLogWriterOnSqliteTests : AccessLogWriterTests
{
    protected override Task<string?> PostgresAsync() => Task.FromResult<string?>(null);

    protected override string BreakAccessLogSql => AccessLogOnSqliteTests.BreakSql;
}

[Collection(PostgresCollection.Name)]
public sealed class AccessLogWriterOnPostgresTests(PostgresCluster cluster) : AccessLogWriterTests
{
    protected override async Task<string?> PostgresAsync() => await cluster.CreateDatabaseAsync();

    protected override string BreakAccessLogSql => AccessLogOnPostgresTests.BreakSql;
}
