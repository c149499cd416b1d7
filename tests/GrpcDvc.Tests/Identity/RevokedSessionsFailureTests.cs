using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace GrpcDvc.Tests.Identity;

/// <summary>The revoked-sessions list when its reread fails: a check waiting for it fails too, and the next check tries again.</summary>
public sealed class RevokedSessionsFailureTests : OnIdentityHarness
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task CheckWaitingForAReread_ThatFails_FailsWithIt_NotWaitingForever_AndTheNextCheckRereads()
    {
        var scopes = new BreakableScopes(Harness.Services.GetRequiredService<IServiceScopeFactory>()) { Broken = true };
        var list = new RevokedSessions(scopes, Harness.Services.GetRequiredService<IdentityOptions>(), Harness.Time, NullLogger<RevokedSessions>.Instance);
        var session = Guid.NewGuid();

        // A first check has no list yet, so it waits for the reread: the database's failure is its answer.
        var failed = list.IsRevokedAsync(session, CancellationToken.None).AsTask();
        await Assert.ThrowsAsync<InvalidOperationException>(() => failed.WaitAsync(Prompt));

        scopes.Broken = false;
        Assert.False(await list.IsRevokedAsync(session, CancellationToken.None).AsTask().WaitAsync(Prompt));
    }

    /// <summary>The server's scopes, or (while broken) a failure as a database that cannot be reached would give.</summary>
    private sealed class BreakableScopes(IServiceScopeFactory inner) : IServiceScopeFactory
    {
        public volatile bool Broken;

        public IServiceScope CreateScope()
            => Broken ? throw new InvalidOperationException("The database cannot be reached.") : inner.CreateScope();
    }
}
