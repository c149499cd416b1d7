using System.Diagnostics;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.Tokens;
using GrpcDvc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// The revoked-sessions list every token check reads, over a real PostgreSQL database whose
/// refresh_tokens table another connection holds locked, so the list's reread waits as on a
/// slow or overloaded database.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RevokedSessionsTests(PostgresCluster cluster) : IAsyncLifetime
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(3);
    private IdentityHarness _harness = null!;
    private string _connectionString = "";
    private int _citizens;

    public async Task InitializeAsync()
    {
        _connectionString = await cluster.CreateDatabaseAsync();
        _harness = IdentityHarness.Start(_connectionString);
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task TokenCheck_WhileTheListRereadWaitsOnTheDatabase_AnswersFromTheListItHas()
    {
        var signedIn = await IssueAsync();
        var reader = _harness.Services.GetRequiredService<IAccessTokenReader>();
        Assert.NotNull((await reader.ReadAsync(signedIn.Tokens.AccessToken, CancellationToken.None)).Caller);
        _harness.Time.Advance(TimeSpan.FromSeconds(11));

        await using var locked = await LockRefreshTokensAsync();
        var clock = Stopwatch.StartNew();
        // Each on its own thread: a check that blocked its caller would hold it, not just its task.
        var checks = Enumerable.Range(0, 16)
            .Select(_ => Task.Run(async () => await reader.ReadAsync(signedIn.Tokens.AccessToken, CancellationToken.None)))
            .ToArray();
        var answered = await Task.WhenAll(checks).WaitAsync(Prompt * 2);

        Assert.All(answered, check => Assert.NotNull(check.Caller));
        Assert.True(clock.Elapsed < Prompt, $"16 token checks took {clock.Elapsed} behind a waiting reread");
    }

    [Fact]
    public async Task TokenCheck_AfterSignOutHere_RefusesTheSessionAtOnce()
    {
        var signedOut = await IssueAsync();
        var other = await IssueAsync();
        var reader = _harness.Services.GetRequiredService<IAccessTokenReader>();
        Assert.NotNull((await reader.ReadAsync(signedOut.Tokens.AccessToken, CancellationToken.None)).Caller);

        Assert.True(await _harness.RunAsync<TokenService, bool>(t => t.RevokeAsync(signedOut.Tokens.RefreshToken, CancellationToken.None)));
        _harness.Services.GetRequiredService<RevokedSessions>().MarkStale();

        Assert.Equal(IdentityReasons.SessionEnded, (await reader.ReadAsync(signedOut.Tokens.AccessToken, CancellationToken.None)).RefusalReason);
        Assert.NotNull((await reader.ReadAsync(other.Tokens.AccessToken, CancellationToken.None)).Caller);
    }

    [Fact]
    public async Task TokenCheck_RevokedOnAnotherInstance_IsRefusedAfterTheBackgroundReread()
    {
        var signedIn = await IssueAsync();
        var reader = _harness.Services.GetRequiredService<IAccessTokenReader>();
        Assert.NotNull((await reader.ReadAsync(signedIn.Tokens.AccessToken, CancellationToken.None)).Caller);
        // Another instance signs the session out: this one hears of it only by rereading.
        Assert.True(await _harness.RunAsync<TokenService, bool>(t => t.RevokeAsync(signedIn.Tokens.RefreshToken, CancellationToken.None)));
        _harness.Time.Advance(TimeSpan.FromSeconds(11));

        var deadline = Stopwatch.StartNew();
        AccessTokenCheck check;
        do
        {
            check = await reader.ReadAsync(signedIn.Tokens.AccessToken, CancellationToken.None);
            await Task.Delay(20);
        }
        while (check.Caller is not null && deadline.Elapsed < Prompt);

        Assert.Equal(IdentityReasons.SessionEnded, check.RefusalReason);
    }

    /// <summary>Holds refresh_tokens locked against readers until disposed (the transaction rolls back).</summary>
    private async Task<NpgsqlConnection> LockRefreshTokensAsync()
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "BEGIN; LOCK TABLE refresh_tokens IN ACCESS EXCLUSIVE MODE;";
        await command.ExecuteNonQueryAsync();
        return connection;
    }

    private async Task<SignedIn> IssueAsync()
    {
        var citizen = new CitizenAccountRecord
        {
            Id = Guid.NewGuid(),
            IdNumber = $"00120300{Interlocked.Increment(ref _citizens):D4}",
            FullName = "Nguyễn Văn An",
            BirthDate = new DateOnly(1990, 5, 17),
            CreatedAt = _harness.Time.GetUtcNow().UtcDateTime,
        };
        await using var scope = _harness.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Server.Storage.DvcDbContext>();
        db.Add(citizen);
        await db.SaveChangesAsync();
        return await scope.ServiceProvider.GetRequiredService<TokenService>().IssueAsync(citizen, CancellationToken.None);
    }
}
