using GrpcDvc.Server.Appointments;
using GrpcDvc.Server.Appointments.Door;
using GrpcDvc.Server.Calendar;
using GrpcDvc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace GrpcDvc.Tests.Appointments.Door;

/// <summary>The no-show job on a real database, run by hand on a clock the test sets; once per provider.</summary>
public abstract class NoShowJobTests : IAsyncLifetime
{
    private InProcessServer _server = null!;

    private DoorWorld World { get; set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await StartServerAsync();
        World = new DoorWorld(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    protected abstract Task<InProcessServer> StartServerAsync();

    private NoShowJob Job(TimeProvider time)
        => new(_server.Services.GetRequiredService<IServiceScopeFactory>(), new NoShowOptions(), time, NullLogger<NoShowJob>.Instance);

    [Fact]
    public async Task EndedDay_ConfirmedBecomeNoShowsWithAnSmsEach_HoldsExpire_CheckedInStay_SessionSettled_ASecondRunChangesNothing()
    {
        var unit = await World.Processing.CommuneAsync();
        var station = await World.StationAsync(unit);
        var yesterday = await World.SessionAsync(station, DoorWorld.Today.AddDays(-1));
        var absent1 = await World.AppointmentAsync(yesterday, station, unit);
        var absent2 = await World.AppointmentAsync(yesterday, station, unit);
        var hold = await World.AppointmentAsync(yesterday, station, unit, AppointmentStatuses.Held, withDossier: false);
        var came = await World.AppointmentAsync(yesterday, station, unit, AppointmentStatuses.CheckedIn);
        var cancelled = await World.AppointmentAsync(yesterday, station, unit, AppointmentStatuses.Cancelled);
        var job = Job(TimeProvider.System);

        await job.RunAsync(CancellationToken.None);
        var settled = await World.ReadSessionAsync(yesterday.Id);
        await job.RunAsync(CancellationToken.None);

        foreach (var absent in new[] { absent1, absent2 })
        {
            var row = await World.ReadAsync(absent.Appointment.Id);
            Assert.Equal((AppointmentStatuses.NoShow, (string?)null, 2L), (row.Status, row.ActiveProcedure, row.Version));
            Assert.NotNull(row.EndedAt);
            var sms = Assert.Single(await World.NotificationsAsync(absent.Account.Id));
            Assert.Equal(NoShowJob.NotificationKind, sms.Kind);
            Assert.Contains("đã không đến Trạm thu nhận Công an phường Hàng Bài", sms.Text, StringComparison.Ordinal);
            Assert.Contains($"ngày {yesterday.Date:dd/MM/yyyy} (hồ sơ {absent.Dossier!.Code})", sms.Text, StringComparison.Ordinal);
            Assert.Contains("Để đặt lịch mới", sms.Text, StringComparison.Ordinal);
            Assert.Single(await World.ChangesAsync(absent.Appointment.Id), c => c.Kind == AppointmentChangeKinds.NoShow);
        }

        Assert.Equal((AppointmentStatuses.Expired, (string?)null), ((await World.ReadAsync(hold.Appointment.Id)).Status, (await World.ReadAsync(hold.Appointment.Id)).ActiveProcedure));
        Assert.Equal(AppointmentStatuses.CheckedIn, (await World.ReadAsync(came.Appointment.Id)).Status);
        Assert.Equal(AppointmentStatuses.Cancelled, (await World.ReadAsync(cancelled.Appointment.Id)).Status);
        Assert.Empty(await World.NotificationsAsync(hold.Account.Id));
        Assert.Empty(await World.NotificationsAsync(came.Account.Id));
        // Five places were taken; the expired hold gives its own back, the no-shows keep theirs (the day is history).
        var after = await World.ReadSessionAsync(yesterday.Id);
        Assert.NotNull(settled.SettledAt);
        Assert.Equal((4, settled.SettledAt), (after.Booked, after.SettledAt));
    }

    [Fact]
    public async Task TodaysEndedSession_WaitsForTheDayToEnd_BecauseCheckInTakesLateComersAllDay()
    {
        var unit = await World.Processing.CommuneAsync();
        var station = await World.StationAsync(unit);
        var day = DoorWorld.Today.AddDays(5);
        var morning = await World.SessionAsync(station, day);
        var absent = await World.AppointmentAsync(morning, station, unit);
        var clock = new FakeTimeProvider(VietnamTime.At(day, new TimeSpan(23, 0, 0)));

        await Job(clock).RunAsync(CancellationToken.None);
        var evening = await World.ReadAsync(absent.Appointment.Id);
        clock.Advance(TimeSpan.FromHours(1.5));
        await Job(clock).RunAsync(CancellationToken.None);

        Assert.Equal(AppointmentStatuses.Confirmed, evening.Status);
        Assert.Equal(AppointmentStatuses.NoShow, (await World.ReadAsync(absent.Appointment.Id)).Status);
        Assert.Single(await World.NotificationsAsync(absent.Account.Id));
    }

    [Fact]
    public async Task TwoRunsAtOnce_SettleEachSessionOnce_OneSmsPerNoShow()
    {
        var unit = await World.Processing.CommuneAsync();
        var station = await World.StationAsync(unit);
        var seeded = new List<SeededAppointment>();
        for (var d = 2; d <= 4; d++)
        {
            var session = await World.SessionAsync(station, DoorWorld.Today.AddDays(-d));
            for (var i = 0; i < 3; i++)
            {
                seeded.Add(await World.AppointmentAsync(session, station, unit, withDossier: false));
            }
        }

        await Task.WhenAll(Job(TimeProvider.System).RunAsync(CancellationToken.None), Job(TimeProvider.System).RunAsync(CancellationToken.None));

        foreach (var s in seeded)
        {
            Assert.Equal(AppointmentStatuses.NoShow, (await World.ReadAsync(s.Appointment.Id)).Status);
            Assert.Single(await World.NotificationsAsync(s.Account.Id));
            Assert.Single(await World.ChangesAsync(s.Appointment.Id));
        }
    }
}

public sealed class NoShowJobOnSqliteTests : NoShowJobTests
{
    protected override Task<InProcessServer> StartServerAsync() => InProcessServer.StartAsync(null, "--Dvc:Population:DemoCitizens=0");
}

[Collection(PostgresCollection.Name)]
public sealed class NoShowJobOnPostgresTests(PostgresCluster cluster) : NoShowJobTests
{
    protected override async Task<InProcessServer> StartServerAsync()
        => await InProcessServer.StartAsync(await cluster.CreateDatabaseAsync());
}
