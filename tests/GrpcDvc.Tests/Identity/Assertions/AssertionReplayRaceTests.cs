using GrpcDvc.Server.Identity.Assertions;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Identity.Assertions;

/// <summary>
/// Two instances racing on one assertion: both find it unseen, and the table's key lets one save it.
/// The loser must answer "seen before" (a replay), and a save that failed for any other reason must
/// fail the sign-in, never count as accepted or as a replay. The rival's save is staged between this
/// instance's check and its save.
/// </summary>
public sealed class AssertionReplayRaceTests : OnIdentityHarness
{
    private const string Issuer = "https://vneid.example.vn";
    private readonly BeforeTheSave<UsedAssertionRecord> _stage = new();

    protected override IdentityHarness Start()
        => IdentityHarness.Start(configure: services => services.ConfigureDbContext<DvcDbContext>(db => db.AddInterceptors(_stage)));

    [Fact]
    public async Task AnotherInstanceSavedTheSameAssertionFirst_ItIsAReplayHere_AndIsRememberedOnce()
    {
        _stage.Next = () => Harness.QueryAsync(db =>
        {
            db.Add(new UsedAssertionRecord { Issuer = Issuer, TokenId = "jti-1", ExpiresAt = Forget() });
            return db.SaveChangesAsync();
        });

        var accepted = await RememberAsync("jti-1");

        Assert.Null(_stage.Next);
        Assert.False(accepted);
        Assert.Equal(["jti-1"], await Harness.QueryAsync(db => db.Set<UsedAssertionRecord>().Select(s => s.TokenId).ToListAsync()));
    }

    [Fact]
    public async Task TheSaveFailsForAnotherReason_TheFailureStands_NotAcceptedNorAReplay()
    {
        // Another assertion of the same issuer is on record, so a check by issuer alone would wrongly find "seen".
        Assert.True(await RememberAsync("jti-0"));
        _stage.Next = () => throw new DbUpdateException("The database refused the write.");

        var failed = await Assert.ThrowsAsync<DbUpdateException>(() => RememberAsync("jti-1"));

        Assert.Equal("The database refused the write.", failed.Message);
        Assert.Equal(["jti-0"], await Harness.QueryAsync(db => db.Set<UsedAssertionRecord>().Select(s => s.TokenId).ToListAsync()));
    }

    private DateTime Forget() => Harness.Time.GetUtcNow().UtcDateTime.AddMinutes(2);

    private async Task<bool> RememberAsync(string tokenId)
    {
        await using var scope = Harness.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<AssertionReplayStore>();
        return await store.TryRememberAsync(Issuer, tokenId, Forget(), CancellationToken.None);
    }
}
