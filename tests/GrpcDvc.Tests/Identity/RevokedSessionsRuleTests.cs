using System.Diagnostics;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// The revoked-sessions list's rules on SQLite and a fake clock: how long a revocation is listed,
/// when the list is reread, and that a reread begun before a sign-out here never answers for it.
/// A reread can be held after its query and before it installs, as a slow database would hold it.
/// </summary>
public sealed class RevokedSessionsRuleTests : IAsyncLifetime
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);
    private IdentityHarness _harness = null!;
    private HeldScopes _scopes = null!;
    private IdentityOptions _options = null!;
    private CitizenAccountRecord _citizen = null!;

    public async Task InitializeAsync()
    {
        _harness = IdentityHarness.Start();
        _scopes = new HeldScopes(_harness.Services.GetRequiredService<IServiceScopeFactory>());
        _options = _harness.Services.GetRequiredService<IdentityOptions>();
        _citizen = await _harness.AddCitizenAccountAsync();
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Revocation_IsListedForOneAccessTokenLifetimePlusTheSkew_ThenDropped()
    {
        var session = await SignInAsync();
        await SignOutAsync(session);
        var listed = _options.AccessTokenLifetime + _options.ClockSkew;

        // A fresh list on each side of the boundary: its last token could live until just before it.
        _harness.Time.Advance(listed - TimeSpan.FromMilliseconds(1));
        Assert.True(await NewList().IsRevokedAsync(session.Caller.SessionId, CancellationToken.None));
        _harness.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(await NewList().IsRevokedAsync(session.Caller.SessionId, CancellationToken.None));
    }

    [Fact]
    public async Task RevokedElsewhere_IsHeardOfAtTheRefreshInterval_NotBefore()
    {
        var list = NewList();
        var session = await SignInAsync();
        Assert.False(await list.IsRevokedAsync(session.Caller.SessionId, CancellationToken.None));
        await SignOutAsync(session); // on another instance: this list is not told

        _harness.Time.Advance(_options.RevocationRefreshInterval - TimeSpan.FromMilliseconds(1));
        Assert.False(await list.IsRevokedAsync(session.Caller.SessionId, CancellationToken.None));
        await Task.Delay(200);
        Assert.False(await list.IsRevokedAsync(session.Caller.SessionId, CancellationToken.None));

        _harness.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await EventuallyRevokedAsync(list, session));
    }

    [Fact]
    public async Task RereadInFlight_BegunBeforeASignOutHere_IsNotWhatTheNextCheckWaitsFor()
    {
        var (list, session, held) = await RereadHeldAfterItsQueryAsync();

        await SignOutAsync(session);
        list.MarkStale();
        var check = list.IsRevokedAsync(session.Caller.SessionId, CancellationToken.None).AsTask();

        try
        {
            Assert.True(await check.WaitAsync(Prompt));
        }
        finally
        {
            held.SetResult();
        }
    }

    [Fact]
    public async Task RereadBegunBeforeASignOutHere_FinishingAfterIt_IsNotInstalled()
    {
        var (list, session, held) = await RereadHeldAfterItsQueryAsync();

        await SignOutAsync(session);
        list.MarkStale();
        held.SetResult(); // the old reread now finishes, with its list from before the sign-out
        await Task.Delay(200);

        Assert.True(await list.IsRevokedAsync(session.Caller.SessionId, CancellationToken.None).AsTask().WaitAsync(Prompt));
    }

    [Fact]
    public async Task ChecksWaitingAfterASignOutHere_ShareOneReread()
    {
        var list = NewList();
        var session = await SignInAsync();
        Assert.False(await list.IsRevokedAsync(session.Caller.SessionId, CancellationToken.None));
        await SignOutAsync(session);
        list.MarkStale();

        var (reached, held) = _scopes.HoldNext();
        var before = _scopes.Created;
        var checks = Enumerable.Range(0, 8)
            .Select(_ => Task.Run(async () => await list.IsRevokedAsync(session.Caller.SessionId, CancellationToken.None)))
            .ToArray();
        await reached.WaitAsync(Prompt);
        await Task.Delay(200); // the other checks arrive while the first reread is held
        held.SetResult();
        var answers = await Task.WhenAll(checks).WaitAsync(Prompt);

        Assert.All(answers, Assert.True);
        Assert.Equal(1, _scopes.Created - before);
    }

    /// <summary>A list loaded with the session live, then a background reread held after its query.</summary>
    private async Task<(RevokedSessions List, SignedIn Session, TaskCompletionSource Held)> RereadHeldAfterItsQueryAsync()
    {
        var list = NewList();
        var session = await SignInAsync();
        Assert.False(await list.IsRevokedAsync(session.Caller.SessionId, CancellationToken.None));
        _harness.Time.Advance(_options.RevocationRefreshInterval);

        var (reached, held) = _scopes.HoldNext();
        Assert.False(await list.IsRevokedAsync(session.Caller.SessionId, CancellationToken.None)); // answers from what it has
        await reached.WaitAsync(Prompt);
        _harness.Time.Advance(TimeSpan.FromMilliseconds(1));
        return (list, session, held);
    }

    private static async Task<bool> EventuallyRevokedAsync(RevokedSessions list, SignedIn session)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Prompt)
        {
            if (await list.IsRevokedAsync(session.Caller.SessionId, CancellationToken.None))
            {
                return true;
            }

            await Task.Delay(20);
        }

        return false;
    }

    private RevokedSessions NewList() => new(_scopes, _options, _harness.Time, NullLogger<RevokedSessions>.Instance);

    private async Task<SignedIn> SignInAsync()
    {
        await using var scope = _harness.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Server.Storage.DvcDbContext>();
        var account = await db.Set<CitizenAccountRecord>().SingleAsync(a => a.Id == _citizen.Id);
        return await scope.ServiceProvider.GetRequiredService<TokenService>().IssueAsync(account, CancellationToken.None);
    }

    private async Task SignOutAsync(SignedIn session)
        => Assert.True(await _harness.RunAsync<TokenService, bool>(t => t.RevokeAsync(session.Tokens.RefreshToken, CancellationToken.None)));

    /// <summary>Scopes as the server's, counted; the next one asked for can be held when it is disposed, i.e. after its query ran.</summary>
    private sealed class HeldScopes(IServiceScopeFactory inner) : IServiceScopeFactory
    {
        private (TaskCompletionSource Reached, TaskCompletionSource Held)? _next;
        private int _created;

        public int Created => Volatile.Read(ref _created);

        public (Task Reached, TaskCompletionSource Held) HoldNext()
        {
            var next = (new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), new TaskCompletionSource());
            _next = next;
            return (next.Item1.Task, next.Item2);
        }

        public IServiceScope CreateScope()
        {
            Interlocked.Increment(ref _created);
            var hold = _next;
            _next = null;
            return new Scope(inner.CreateScope(), hold);
        }

        private sealed class Scope(IServiceScope scope, (TaskCompletionSource Reached, TaskCompletionSource Held)? hold) : IServiceScope, IAsyncDisposable
        {
            public IServiceProvider ServiceProvider => scope.ServiceProvider;

            public void Dispose() => scope.Dispose();

            public async ValueTask DisposeAsync()
            {
                if (hold is { } h)
                {
                    h.Reached.SetResult();
                    await h.Held.Task;
                }

                await ((IAsyncDisposable)scope).DisposeAsync();
            }
        }
    }
}
