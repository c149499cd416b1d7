using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Registration;
using GrpcDvc.Server.Identity.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Identity;

/// <summary>The outbox behaving like an outside gateway: its latency, its failure rate, and the texts each send erases.</summary>
public sealed class SmsOutboxGatewayTests : OnIdentityHarness
{
    private const string Phone = "+84912345678";
    private const string OtherPhone = "+84987654321";

    [Fact]
    public async Task Send_WithALatency_WaitsThatLongBeforeReachingTheOutbox()
    {
        // The clock hands the delay a timer the test fires by hand: no real waiting.
        var clock = new ManualTimerClock(Harness.Time);
        var outbox = Outbox(new SmsOutboxOptions { Latency = TimeSpan.FromSeconds(3) }, clock);

        var send = outbox.SendAsync(Phone, "Ma 123456", CancellationToken.None);

        Assert.False(send.IsCompleted);
        Assert.Equal([TimeSpan.FromSeconds(3)], clock.Timers.Select(t => t.Due));
        Assert.Equal(0, await Harness.QueryAsync(db => db.Set<SmsOutboxRecord>().CountAsync()));
        clock.Timers.Single().Fire();
        Assert.True((await send).Accepted);
    }

    [Fact]
    public async Task Send_WithoutLatency_StartsNoTimer()
    {
        var clock = new ManualTimerClock(Harness.Time);

        Assert.True((await Outbox(new SmsOutboxOptions(), clock).SendAsync(Phone, "Ma 123456", CancellationToken.None)).Accepted);
        Assert.Empty(clock.Timers);
    }

    [Fact]
    public async Task Send_WithAFailureRateOfAHalf_RefusesSomeAndAcceptsSome()
    {
        // 40 sends: all alike by chance has odds of 2^-39, about one run in half a trillion.
        var outbox = Outbox(new SmsOutboxOptions { FailureRate = 0.5 }, Harness.Time);
        var accepted = new List<bool>();
        for (var i = 0; i < 40; i++)
        {
            accepted.Add((await outbox.SendAsync(Phone, "Ma 123456", CancellationToken.None)).Accepted);
        }

        Assert.Contains(true, accepted);
        Assert.Contains(false, accepted);
    }

    [Fact]
    public async Task Send_ErasesTheTextsWhoseCodesExpired_BeforeAnyInboxIsRead()
    {
        await Harness.Sms.SendAsync(Phone, "Ma 123456", CancellationToken.None);
        Harness.Time.Advance(TimeSpan.FromMinutes(5));

        await Harness.Sms.SendAsync(OtherPhone, "Ma 654321", CancellationToken.None);

        var texts = await Harness.QueryAsync(db => db.Set<SmsOutboxRecord>().AsNoTracking().OrderBy(m => m.Id).Select(m => m.TextSealed).ToListAsync());
        Assert.Null(texts[0]);
        Assert.NotNull(texts[1]);
    }

    private SmsOutbox Outbox(SmsOutboxOptions sms, TimeProvider clock)
        => new(Harness.Services.GetRequiredService<IServiceScopeFactory>(), new IdentityOptions { Sms = sms }, Harness.Services.GetRequiredService<IdentitySecrets>(), clock);

    /// <summary>The harness's "now", with timers that fire only when the test says.</summary>
    private sealed class ManualTimerClock(TimeProvider now) : TimeProvider
    {
        public List<ManualTimer> Timers { get; } = [];

        public override DateTimeOffset GetUtcNow() => now.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = new ManualTimer(callback, state, dueTime);
            Timers.Add(timer);
            return timer;
        }
    }

    private sealed class ManualTimer(TimerCallback callback, object? state, TimeSpan due) : ITimer
    {
        public TimeSpan Due => due;

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
