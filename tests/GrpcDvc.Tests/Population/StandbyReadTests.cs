using System.Diagnostics;
using Grpc.Core;
using GrpcDvc.Client;
using GrpcDvc.Contracts.Population.V1;
using GrpcDvc.Server.Hosting;
using GrpcDvc.Server.Population.DataAccessLog;
using GrpcDvc.Server.Storage;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static GrpcDvc.Tests.Population.PopulationServiceTests;
using static GrpcDvc.Tests.Population.RegistryServer;

namespace GrpcDvc.Tests.Population;

/// <summary>
/// Dvc:Database:ReadConnectionString: the registry's lookups and searches read the hot standby, their
/// access-log entries are committed on the primary. Which database answered is told by pausing replay
/// on the standby: a citizen added on the primary meanwhile is unseen until replay resumes. Every write
/// the server makes would fail on the standby, so any write sent there fails these tests.
/// </summary>
public sealed class StandbyReadTests(StandbyPair pair) : IClassFixture<StandbyPair>, IAsyncLifetime
{
    // A lookup against a stopped standby on loopback is refused at connect: far below this.
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);

    private RegistryServer Registry { get; set; } = null!;

    public async Task InitializeAsync()
    {
        var primary = await pair.Primary.CreateDatabaseAsync();
        Registry = await RegistryServer.StartAsync(primary, null, $"--Dvc:Database:ReadConnectionString={pair.Standby.SameDatabaseHere(primary)}");
        // The database, its schema and the test units were made on the primary: wait until the standby has them.
        await pair.CaughtUpAsync();
    }

    public Task DisposeAsync() => Registry.DisposeAsync().AsTask();

    [Fact]
    public async Task StandbyReads_Registry_ReadsTheStandbyContextAndWritesThePrimary()
    {
        await using var scope = Registry.Server.Services.CreateAsyncScope();
        Assert.True(scope.ServiceProvider.GetRequiredService<ReadDatabase>().IsStandby);
        var standby = scope.ServiceProvider.GetRequiredService<StandbyDbContext>();
        Assert.Equal(pair.Standby.Port, new Npgsql.NpgsqlConnectionStringBuilder(standby.Database.GetConnectionString()).Port);
        var primary = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
        Assert.Equal(pair.Primary.Port, new Npgsql.NpgsqlConnectionStringBuilder(primary.Database.GetConnectionString()).Port);
    }

    [Fact]
    public async Task StandbyReads_LookupWhileReplayIsPaused_DoesNotSeeTheNewCitizenUntilReplayResumes()
    {
        await pair.PauseReplayAsync();
        string idNumber;
        try
        {
            idNumber = (await Registry.Data.AddCitizenAsync("Mai Văn Hùng", 1970)).IdNumber;
            var unseen = await Assert.ThrowsAsync<RpcException>(() => LookupAsync(idNumber));
            Assert.Equal(StatusCode.NotFound, unseen.StatusCode);
            // The lookup that found nobody is logged too, on the primary, while the standby replays nothing.
            Assert.Equal(1, await EntriesOnPrimaryAsync(idNumber));
        }
        finally
        {
            await pair.ResumeReplayAsync();
        }

        Assert.Equal("Mai Văn Hùng", (await LookupAsync(idNumber)).Citizen.FullName);
        Assert.Equal(2, await EntriesOnPrimaryAsync(idNumber));
    }

    [Fact]
    public async Task StandbyReads_SearchWhileReplayIsPaused_FindsOnlyWhatTheStandbyReplayed()
    {
        var before = (await Registry.Data.AddCitizenAsync("Đỗ Văn Hùng", 1980)).IdNumber;
        await pair.CaughtUpAsync();
        await pair.PauseReplayAsync();
        string after;
        try
        {
            after = (await Registry.Data.AddCitizenAsync("Đỗ Văn Hưng", 1981)).IdNumber;
            var paused = await SearchAsync("do van");
            Assert.Equal([before], paused.Citizens.Select(c => c.IdNumber));
            Assert.Equal(1, await EntriesOnPrimaryAsync(before));
        }
        finally
        {
            await pair.ResumeReplayAsync();
        }

        var resumed = await SearchAsync("do van");
        Assert.Equal(new[] { before, after }.Order(StringComparer.Ordinal), resumed.Citizens.Select(c => c.IdNumber).Order(StringComparer.Ordinal));
        Assert.Equal(2, await EntriesOnPrimaryAsync(before));
        Assert.Equal(1, await EntriesOnPrimaryAsync(after));
    }

    [Fact]
    public async Task StandbyReads_StandbyStopped_LookupAnswersUnavailablePromptlyAndLogsNothing()
    {
        var idNumber = (await Registry.Data.AddCitizenAsync("Mai Văn Hùng", 1970)).IdNumber;
        await pair.CaughtUpAsync();
        Assert.Equal("Mai Văn Hùng", (await LookupAsync(idNumber)).Citizen.FullName);

        await pair.Standby.StopAsync("fast");
        try
        {
            var clock = Stopwatch.StartNew();
            var ex = await Assert.ThrowsAsync<RpcException>(() => LookupAsync(idNumber));
            clock.Stop();
            Assert.Equal((StatusCode.Unavailable, DatabaseFaultInterceptor.Reason), (ex.StatusCode, ex.GetErrorInfo()?.Reason));
            Assert.True(clock.Elapsed < Prompt, $"UNAVAILABLE took {clock.Elapsed}.");
            // Nothing was read, so nothing was logged: only the first lookup's entry is on the primary.
            Assert.Equal(1, await EntriesOnPrimaryAsync(idNumber));
        }
        finally
        {
            await pair.Standby.RestartAsync();
        }

        await pair.CaughtUpAsync();
        Assert.Equal("Mai Văn Hùng", (await LookupAsync(idNumber)).Citizen.FullName);
    }

    [Fact]
    public async Task StandbyReads_PreferStandbyWithThePrimaryListedLast_FallsBackToThePrimaryWhenTheStandbyStops()
    {
        // The operator's alternative (docs/postgres.md): Npgsql multi-host, the standby first, prefer-standby.
        var primary = await pair.Primary.CreateDatabaseAsync();
        var hosts = new Npgsql.NpgsqlConnectionStringBuilder(primary)
        {
            Host = $"127.0.0.1:{pair.Standby.Port},127.0.0.1:{pair.Primary.Port}",
            TargetSessionAttributes = "prefer-standby",
        };
        await using var registry = await RegistryServer.StartAsync(primary, null, $"--Dvc:Database:ReadConnectionString={hosts.ConnectionString}");
        var idNumber = (await registry.Data.AddCitizenAsync("Mai Văn Hùng", 1970)).IdNumber;
        await pair.CaughtUpAsync();
        await pair.PauseReplayAsync();
        try
        {
            var added = (await registry.Data.AddCitizenAsync("Mai Văn Hưng", 1971)).IdNumber;
            // Replay paused: the standby answers, so the citizen just added is not found.
            var unseen = await Assert.ThrowsAsync<RpcException>(() => LookupAsync(registry, added));
            Assert.Equal(StatusCode.NotFound, unseen.StatusCode);

            await pair.Standby.StopAsync("fast");
            // Now the primary answers: the first read may meet a pooled connection to the stopped standby.
            var found = await RetryOnceAsync(() => LookupAsync(registry, added));
            Assert.Equal("Mai Văn Hưng", found.Citizen.FullName);
            Assert.Equal("Mai Văn Hùng", (await LookupAsync(registry, idNumber)).Citizen.FullName);
        }
        finally
        {
            if (!File.Exists(pair.Standby.PidFile))
            {
                await pair.Standby.RestartAsync();
            }

            await pair.ResumeReplayAsync();
        }
    }

    [Fact]
    public async Task StandbyContext_Save_IsRefusedBeforeReachingTheStandby()
    {
        await using var scope = Registry.Server.Services.CreateAsyncScope();
        var standby = scope.ServiceProvider.GetRequiredService<StandbyDbContext>();
        await Assert.ThrowsAsync<InvalidOperationException>(() => standby.SaveChangesAsync());
    }

    private static async Task<T> RetryOnceAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
        {
            return await call();
        }
    }

    private Task<LookupCitizenResponse> LookupAsync(string idNumber) => LookupAsync(Registry, idNumber);

    private static Task<LookupCitizenResponse> LookupAsync(RegistryServer registry, string idNumber)
        => registry.Population.LookupCitizenAsync(Lookup(idNumber, AccessPurpose.IdentityVerification), As(OfficerA)).ResponseAsync;

    private Task<SearchCitizensResponse> SearchAsync(string name)
        => Registry.Population.SearchCitizensAsync(new SearchCitizensRequest
        {
            Name = name,
            Access = new AccessContext { Purpose = AccessPurpose.IdentityVerification },
        }, As(OfficerA)).ResponseAsync;

    // Through DvcDbContext, which is the primary's: the entries can be nowhere else while replay is paused.
    private Task<int> EntriesOnPrimaryAsync(string idNumber)
        => Registry.WithDbAsync(db => db.Set<DataAccessRecord>().CountAsync(r => r.SubjectIdNumber == idNumber));
}
