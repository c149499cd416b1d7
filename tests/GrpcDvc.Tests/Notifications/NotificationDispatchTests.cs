using GrpcDvc.Server.Identity.Registration;
using GrpcDvc.Server.Notifications;
using GrpcDvc.Tests.Appointments.Door;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace GrpcDvc.Tests.Notifications;

/// <summary>
/// The dispatch job against the real SMS gateway stand-in (SmsOutbox: its own commits, latency, a number it always
/// refuses) on a real database, run by hand (the scheduled firing is an hour away); once per provider.
/// </summary>
public abstract class NotificationDispatchTests : IAsyncLifetime
{
    protected const string RefusedNumber = "+84900000001";

    private InProcessServer _server = null!;

    private DoorWorld World { get; set; } = null!;

    protected static readonly string[] ServerArgs =
    [
        "--Dvc:Population:DemoCitizens=0",
        "--Dvc:Notifications:Dispatch:Interval=01:00:00",
        $"--Dvc:Identity:Sms:FailingNumbers:0={RefusedNumber}",
        // A gateway round trip, so two dispatchers running at once really interleave.
        "--Dvc:Identity:Sms:Latency=00:00:00.005",
    ];

    public async Task InitializeAsync()
    {
        _server = await StartServerAsync();
        World = new DoorWorld(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    protected abstract Task<InProcessServer> StartServerAsync();

    private NotificationDispatchJob Job(TimeProvider time, NotificationDispatchOptions? options = null)
        => new(_server.Services.GetRequiredService<IServiceScopeFactory>(), _server.Services.GetRequiredService<ISmsGateway>(),
            options ?? new NotificationDispatchOptions(), time, NullLogger<NotificationDispatchJob>.Instance);

    private async Task<NotificationRecord> EnqueueAsync(Guid accountId, string text, DateTimeOffset now)
    {
        NotificationRecord? row = null;
        await World.Processing.WithDbAsync(async db =>
        {
            row = NotificationOutbox.Enqueue(db, accountId, "test", text, DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds()));
            await db.SaveChangesAsync();
        });
        return row!;
    }

    private async Task<NotificationRecord> ReadAsync(long id)
    {
        NotificationRecord? row = null;
        await World.Processing.WithDbAsync(async db => row = await db.Set<NotificationRecord>().AsNoTracking().FirstAsync(n => n.Id == id));
        return row!;
    }

    /// <summary>Every message the gateway took or refused for the number.</summary>
    private async Task<List<SmsOutboxRecord>> GatewaySawAsync(string phone)
    {
        List<SmsOutboxRecord> rows = [];
        await World.Processing.WithDbAsync(async db => rows = await db.Set<SmsOutboxRecord>().AsNoTracking().Where(m => m.Phone == phone).ToListAsync());
        return rows;
    }

    [Fact]
    public async Task Due_IsSentToTheAccountsMobile_MarkedSentWithTheGatewayId_AndASecondRunSendsNothing()
    {
        var account = await World.AccountAsync("+84912345601");
        var message = await EnqueueAsync(account.Id, "Cổng DVC: lịch hẹn của bạn đã được dời sang buổi chiều.", DateTimeOffset.UtcNow);

        var first = await Job(TimeProvider.System).RunAsync(CancellationToken.None);
        var second = await Job(TimeProvider.System).RunAsync(CancellationToken.None);

        var row = await ReadAsync(message.Id);
        Assert.NotNull(row.SentAt);
        Assert.Equal((1, (string?)null, (DateTimeOffset?)null), (row.Attempts, row.LastError, row.GivenUpAt));
        var inbox = await _server.Services.GetRequiredService<SmsOutbox>().InboxAsync("+84912345601");
        var received = Assert.Single(inbox);
        Assert.Equal((row.GatewayMessageId, "Cổng DVC: lịch hẹn của bạn đã được dời sang buổi chiều."), (received.MessageId.ToString("D"), received.Text));
        Assert.True(first.Sent >= 1);
        Assert.Equal(0, second.Sent);
    }

    [Fact]
    public async Task Refused_IsRetriedAfterADoublingBackoff_AndGivenUpAfterMaxAttempts()
    {
        var account = await World.AccountAsync(RefusedNumber);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new NotificationDispatchOptions { MaxAttempts = 3, Backoff = TimeSpan.FromMinutes(1) };
        var message = await EnqueueAsync(account.Id, "Cổng DVC: thử gửi lại.", clock.GetUtcNow());

        await Job(clock, options).RunAsync(CancellationToken.None);
        var afterFirst = await ReadAsync(message.Id);
        await Job(clock, options).RunAsync(CancellationToken.None); // not due yet: nothing
        var notDue = await ReadAsync(message.Id);
        clock.Advance(TimeSpan.FromMinutes(1));
        await Job(clock, options).RunAsync(CancellationToken.None);
        var afterSecond = await ReadAsync(message.Id);
        clock.Advance(TimeSpan.FromMinutes(2));
        await Job(clock, options).RunAsync(CancellationToken.None);
        var afterThird = await ReadAsync(message.Id);
        clock.Advance(TimeSpan.FromHours(1));
        await Job(clock, options).RunAsync(CancellationToken.None);

        Assert.Equal((1, "subscriber unreachable"), (afterFirst.Attempts, afterFirst.LastError));
        Assert.Equal(TimeSpan.FromMinutes(1), afterFirst.NextAttemptAt - message.CreatedAt);
        Assert.Equal(1, notDue.Attempts);
        Assert.Equal(2, afterSecond.Attempts);
        Assert.Equal(TimeSpan.FromMinutes(2), afterSecond.NextAttemptAt - (message.CreatedAt + TimeSpan.FromMinutes(1)));
        Assert.Null(afterSecond.GivenUpAt);
        Assert.Equal((3, "subscriber unreachable"), (afterThird.Attempts, afterThird.LastError));
        Assert.NotNull(afterThird.GivenUpAt);
        Assert.Null(afterThird.SentAt);
        Assert.Equal(3, (await GatewaySawAsync(RefusedNumber)).Count(m => m.Status == SmsOutbox.Refused));
    }

    [Fact]
    public async Task AccountWithoutAMobileNumber_IsGivenUpAtOnce_WithoutCallingTheGateway()
    {
        var account = await World.AccountAsync(phone: null);
        var message = await EnqueueAsync(account.Id, "Cổng DVC: không có số.", DateTimeOffset.UtcNow);

        await Job(TimeProvider.System).RunAsync(CancellationToken.None);

        var row = await ReadAsync(message.Id);
        Assert.Equal((0, NotificationDispatchJob.NoNumber), (row.Attempts, row.LastError));
        Assert.NotNull(row.GivenUpAt);
    }

    [Fact]
    public async Task AClaimThatLapsedWithoutAnOutcome_IsGivenUp_NeverSentASecondTime()
    {
        // A dispatcher claimed this message and died while the gateway had it: it may have been delivered.
        var account = await World.AccountAsync("+84912345602");
        var message = await EnqueueAsync(account.Id, "Cổng DVC: đã gửi dở.", DateTimeOffset.UtcNow.AddMinutes(-10));
        await World.Processing.WithDbAsync(db => db.Set<NotificationRecord>().Where(n => n.Id == message.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.Attempts, 1).SetProperty(n => n.LastError, NotificationDispatchJob.InFlight)));

        await Job(TimeProvider.System).RunAsync(CancellationToken.None);

        var row = await ReadAsync(message.Id);
        Assert.Equal((1, NotificationDispatchJob.OutcomeUnknown), (row.Attempts, row.LastError));
        Assert.NotNull(row.GivenUpAt);
        Assert.Empty(await GatewaySawAsync("+84912345602"));
    }

    [Fact]
    public async Task TwoDispatchersAtOnce_SendEachMessageExactlyOnce()
    {
        var phones = Enumerable.Range(0, 40).Select(i => $"+849130{i:D5}").ToList();
        foreach (var phone in phones)
        {
            var account = await World.AccountAsync(phone);
            await EnqueueAsync(account.Id, $"Cổng DVC: tin cho {phone}.", DateTimeOffset.UtcNow);
        }

        var runs = await Task.WhenAll(Job(TimeProvider.System).RunAsync(CancellationToken.None), Job(TimeProvider.System).RunAsync(CancellationToken.None));

        foreach (var phone in phones)
        {
            Assert.Single(await GatewaySawAsync(phone));
        }

        Assert.Equal(40, runs.Sum(r => r.Sent));
    }
}

public sealed class NotificationDispatchOnSqliteTests : NotificationDispatchTests
{
    protected override Task<InProcessServer> StartServerAsync() => InProcessServer.StartAsync(null, ServerArgs);
}

[Collection(PostgresCollection.Name)]
public sealed class NotificationDispatchOnPostgresTests(PostgresCluster cluster) : NotificationDispatchTests
{
    protected override async Task<InProcessServer> StartServerAsync()
        => await InProcessServer.StartAsync(await cluster.CreateDatabaseAsync(), ServerArgs);
}
