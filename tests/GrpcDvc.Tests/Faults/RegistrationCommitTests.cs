using Grpc.Core;
using GrpcDvc.Server.Storage;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Faults;

/// <summary>
/// Completing a registration spends the code and creates the account together: when the account
/// cannot be written (here a trigger refuses it, as a crash or an outage would cut it off), the code
/// stays unspent and the same code completes the registration once the database takes writes again.
/// The process-kill test found the other order on SQLite: a spent code, no account, and a citizen told
/// "code already used" whose password signs nobody in.
/// </summary>
public sealed class RegistrationCommitTests : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), $"grpcdvc-commit-{Guid.NewGuid():N}");
    private InProcessServer _server = null!;

    public async Task InitializeAsync() => _server = await InProcessServer.StartAsync(null, $"--Dvc:DataDir={_dataDir}");

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDir, recursive: true);
    }

    [Fact]
    public async Task CompleteRegistration_AccountWriteFails_CodeIsNotSpent_AndTheSameCodeCompletesItAfterwards()
    {
        var db = FaultDatabase.Sqlite(_dataDir);
        var person = (await FaultCallers.PeopleWithPhonesAsync(db, 1))[0];
        var callers = new FaultCallers(_server.Channel, new CallLog(TimeSpan.FromSeconds(10)));
        var (started, _) = await callers.StartRegistrationAsync(person, Guid.NewGuid().ToString("N"));
        var (code, _) = await callers.NewestCodeAsync(person.Phone);
        Assert.NotNull(started);
        Assert.NotNull(code);

        await SqlAsync("CREATE TRIGGER refuse_accounts BEFORE INSERT ON citizen_accounts BEGIN SELECT RAISE(ABORT, 'the account table refuses writes'); END;");
        var (refused, refusedStatus) = await callers.CompleteRegistrationAsync(started.RegistrationId, code, person.Password);
        var spentWhileRefused = await db.CountAsync("SELECT COUNT(*) FROM otp_challenges WHERE consumed_at IS NOT NULL");
        await SqlAsync("DROP TRIGGER refuse_accounts;");
        var (completed, completedStatus) = await callers.CompleteRegistrationAsync(started.RegistrationId, code, person.Password);

        Assert.Null(refused);
        Assert.NotEqual(StatusCode.OK, refusedStatus);
        Assert.Equal(0, spentWhileRefused);
        Assert.True(completed is not null, $"the retry with the same code: {completedStatus}");
        Assert.Equal(1, await db.CountAsync($"SELECT COUNT(*) FROM citizen_accounts WHERE id_number = '{person.IdNumber}'"));
    }

    private async Task SqlAsync(string sql)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DvcDbContext>().Database.ExecuteSqlRawAsync(sql);
    }
}
