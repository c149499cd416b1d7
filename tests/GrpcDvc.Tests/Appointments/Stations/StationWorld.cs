using Grpc.Core;
using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Contracts.Common.V1;
using GrpcDvc.Server.Appointments;
using GrpcDvc.Server.Calendar;
using GrpcDvc.Server.Notifications;
using GrpcDvc.Server.Population;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Storage;
using GrpcDvc.Tests.Access;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Appointments.Stations;

/// <summary>
/// What the station tests act on: communes under Hà Nội (P34-01, unit 2001), stations made through StationService,
/// and appointments written straight into the database (booking is another part's), each taking a place the way
/// booking does (booked + 1 on the session row).
/// </summary>
internal sealed class StationWorld(InProcessServer server)
{
    public const string HaNoiCode = "P34-01";
    public const int HaNoi = 2001;
    public const int HoChiMinh = 2079;

    private static int _nextUnit = 700_000 + Random.Shared.Next(0, 50_000) * 10;

    public StationService.StationServiceClient Client { get; } = new(server.Channel);

    public static string NewId() => Guid.NewGuid().ToString("D");

    public static string NewStationCode() => $"T-{Guid.NewGuid():N}"[..20].ToUpperInvariant();

    public static DateOnly Today => VietnamTime.DateOf(DateTimeOffset.UtcNow);

    public async Task<AdministrativeUnitRow> CommuneAsync(int provinceId = HaNoi)
    {
        var id = Interlocked.Increment(ref _nextUnit);
        var unit = new AdministrativeUnitRow
        {
            Id = id, Code = $"X{id}", Level = AdministrativeLevel.Commune, Name = $"Xã Thử {id}", FoldedName = $"xa thu {id}",
            ParentId = provinceId, IsSynthetic = true, Verified = false,
        };
        await WithDbAsync(async db =>
        {
            db.Set<AdministrativeUnitRow>().Add(unit);
            await db.SaveChangesAsync();
        });
        return unit;
    }

    public async Task<CallOptions> ManagerAsync(string unitCode = HaNoiCode, Role role = Role.StationManager)
        => TestCallers.Bearer(await TestCallers.OfficialAsync(server, unitCode, role));

    /// <summary>Every weekday, morning 07:30–11:30 and afternoon 13:30–17:00, each for <paramref name="capacity"/>.</summary>
    public static WeeklyTemplate EveryDay(int capacity)
    {
        var template = new WeeklyTemplate();
        for (var day = Weekday.Monday; day <= Weekday.Sunday; day++)
        {
            template.Sessions.Add(new TemplateSession { Weekday = day, Part = SessionPart.Morning, StartTime = "07:30", EndTime = "11:30", Capacity = capacity });
            template.Sessions.Add(new TemplateSession { Weekday = day, Part = SessionPart.Afternoon, StartTime = "13:30", EndTime = "17:00", Capacity = capacity });
        }

        return template;
    }

    public static Station NewStation(AdministrativeUnitRow commune, int capacity = 10, int window = 7) => new()
    {
        StationId = NewStationCode(), Name = "Trạm thu nhận thử", Kind = StationKind.Fixed, UnitCode = commune.Code, CommuneCode = commune.Code,
        Address = "1 Đường Thử", ProcedureCodes = { "BCA-L3-01", "BCA-L3-03" }, BookingWindowDays = window, ReleaseTime = "00:00",
        Template = EveryDay(capacity),
    };

    public async Task<Station> StationAsync(AdministrativeUnitRow commune, CallOptions manager, int capacity = 10, int window = 7)
        => (await Client.CreateStationAsync(new CreateStationRequest { RequestId = NewId(), Station = NewStation(commune, capacity, window) }, manager)).Station;

    public async Task<List<StationSessionRecord>> SessionsAsync(string stationId)
    {
        List<StationSessionRecord> rows = [];
        await WithDbAsync(async db => rows = await db.Set<StationSessionRecord>().AsNoTracking().Where(s => s.StationId == stationId)
            .OrderBy(s => s.Date).ThenBy(s => s.Part).ToListAsync());
        return rows;
    }

    /// <summary>The first open day at least two days ahead (open and not started whatever the hour of the test).</summary>
    public async Task<DateOnly> BookableDayAsync(string stationId)
    {
        var now = DateTimeOffset.UtcNow;
        return (await SessionsAsync(stationId)).First(s => s.Date >= Today.AddDays(2) && s.OpensAt <= now).Date;
    }

    public async Task<StationSessionRecord> SessionAsync(string stationId, DateOnly date, SessionPart part)
        => (await SessionsAsync(stationId)).Single(s => s.Date == date && s.Part == (int)part);

    /// <summary>A confirmed appointment in the session, taking its place as booking does; booked a second apart so "latest" is defined.</summary>
    public async Task<AppointmentRecord> AppointmentAsync(StationSessionRecord session, int order = 0, string procedure = "BCA-L3-01")
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddHours(-1).AddSeconds(order).ToUnixTimeMilliseconds());
        var appointment = new AppointmentRecord
        {
            Id = Guid.NewGuid(), AccountId = Guid.NewGuid(), IdNumber = $"0010900{Random.Shared.Next(10000, 99999)}", FullName = "Trần Thị Hẹn",
            ProcedureCode = procedure, StationId = session.StationId, SessionId = session.Id, Status = AppointmentStatuses.Confirmed,
            ActiveProcedure = procedure, RequestId = NewId(), BookedAt = at, ConfirmedAt = at, Version = 1,
        };
        await WithDbAsync(async db =>
        {
            var taken = await db.Set<StationSessionRecord>().Where(s => s.Id == session.Id && s.Booked < s.Capacity)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.Booked, s => s.Booked + 1));
            Assert.Equal(1, taken);
            db.Set<AppointmentRecord>().Add(appointment);
            await db.SaveChangesAsync();
        });
        return appointment;
    }

    public async Task<AppointmentRecord> ReadAppointmentAsync(Guid id)
    {
        AppointmentRecord? row = null;
        await WithDbAsync(async db => row = await db.Set<AppointmentRecord>().AsNoTracking().FirstAsync(a => a.Id == id));
        return row!;
    }

    public async Task<List<NotificationRecord>> NotificationsAsync(Guid accountId)
    {
        List<NotificationRecord> rows = [];
        await WithDbAsync(async db => rows = await db.Set<NotificationRecord>().AsNoTracking().Where(n => n.AccountId == accountId).ToListAsync());
        return rows;
    }

    public async Task<List<AppointmentChangeRecord>> ChangesAsync(Guid appointmentId)
    {
        List<AppointmentChangeRecord> rows = [];
        await WithDbAsync(async db => rows = await db.Set<AppointmentChangeRecord>().AsNoTracking().Where(c => c.AppointmentId == appointmentId).ToListAsync());
        return rows;
    }

    public async Task WithDbAsync(Func<DvcDbContext, Task> work)
    {
        await using var scope = server.Services.CreateAsyncScope();
        await work(scope.ServiceProvider.GetRequiredService<DvcDbContext>());
    }

    public static Date Proto(DateOnly date) => CalendarMapping.ToMessage(date);
}
