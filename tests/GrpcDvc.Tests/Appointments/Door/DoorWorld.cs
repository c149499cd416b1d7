using Grpc.Core;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Server.Appointments;
using GrpcDvc.Server.Calendar;
using GrpcDvc.Server.Dossiers;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Notifications;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Tests.Dossiers.Processing;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using AppointmentClient = GrpcDvc.Contracts.Appointments.V1.AppointmentService.AppointmentServiceClient;

namespace GrpcDvc.Tests.Appointments.Door;

/// <summary>One citizen's confirmed (or otherwise) appointment with everything it hangs on, as seeded.</summary>
internal sealed record SeededAppointment(AppointmentRecord Appointment, StationSessionRecord Session, StationRecord Station, DossierRecord? Dossier, CitizenAccountRecord Account);

/// <summary>
/// What the door's tests act on, written straight into the server's database (stations, their calendars and the
/// booking are other parts'): a station of a test commune's unit, sessions on any date, citizen accounts with a
/// mobile number, level-3 dossiers (through <see cref="ProcessingWorld"/>) and the appointments they confirmed.
/// </summary>
internal sealed class DoorWorld(InProcessServer server)
{
    public const string Procedure = "BCA-L3-01";

    private static int _nextStation = Random.Shared.Next(0, 100_000);
    private static long _nextIdNumber = 5_000_000 + Random.Shared.Next(0, 100_000) * 10;

    public ProcessingWorld Processing { get; } = new(server);

    public InProcessServer Server => server;

    public AppointmentClient Client { get; } = new(server.Channel);

    public static DateOnly Today => VietnamTime.DateOf(DateTimeOffset.UtcNow);

    public async Task<StationRecord> StationAsync(AdministrativeUnitRow unit, string name = "Trạm thu nhận Công an phường Hàng Bài")
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var station = new StationRecord
        {
            Id = $"TRAM-{Interlocked.Increment(ref _nextStation):D6}", Name = name, Kind = StationKinds.Fixed, UnitId = unit.Id, UnitCode = unit.Code,
            CommuneUnitId = unit.Id, CommuneCode = unit.Code, Address = "Số 11 phố Hàng Bài, quận Hoàn Kiếm, Hà Nội", BookingWindowDays = 14, ReleaseMinute = 0,
            Accepting = true, Version = 1, CreateRequestId = Guid.NewGuid().ToString("D"), CreatedAt = now, UpdatedAt = now,
        };
        await Processing.WithDbAsync(async db =>
        {
            db.Add(station);
            db.Add(new StationProcedureRecord { StationId = station.Id, ProcedureCode = Procedure });
            await db.SaveChangesAsync();
        });
        return station;
    }

    /// <summary>A session of <paramref name="station"/> on <paramref name="date"/>: morning 07:30–11:30, afternoon 13:30–17:00 (Vietnam).</summary>
    public async Task<StationSessionRecord> SessionAsync(StationRecord station, DateOnly date, int part = 1, int capacity = 10)
    {
        var (from, to) = part == 1 ? (new TimeSpan(7, 30, 0), new TimeSpan(11, 30, 0)) : (new TimeSpan(13, 30, 0), new TimeSpan(17, 0, 0));
        var session = new StationSessionRecord
        {
            StationId = station.Id, Date = date, Part = part, StartsAt = VietnamTime.At(date, from), EndsAt = VietnamTime.At(date, to),
            OpensAt = VietnamTime.At(date.AddDays(-14), TimeSpan.Zero), Capacity = capacity, Booked = 0,
        };
        await Processing.WithDbAsync(async db =>
        {
            db.Add(session);
            await db.SaveChangesAsync();
        });
        return session;
    }

    /// <summary>A citizen account (phone given or not) in the identity tables.</summary>
    public async Task<CitizenAccountRecord> AccountAsync(string? phone = null, string fullName = "Nguyễn Thị Hồng Nhung")
    {
        var account = new CitizenAccountRecord
        {
            Id = Guid.NewGuid(), IdNumber = $"00119{Interlocked.Increment(ref _nextIdNumber) % 10_000_000:D7}", FullName = fullName,
            BirthDate = new DateOnly(1991, 3, 8), Phone = phone, CreatedAt = DateTime.UtcNow,
        };
        await Processing.WithDbAsync(async db =>
        {
            db.Add(account);
            await db.SaveChangesAsync();
        });
        return account;
    }

    /// <summary>
    /// An appointment in <paramref name="session"/> in <paramref name="status"/>, taking one place; with a submitted
    /// level-3 dossier at the station's unit unless <paramref name="withDossier"/> is false (a hold has none yet).
    /// </summary>
    public async Task<SeededAppointment> AppointmentAsync(
        StationSessionRecord session, StationRecord station, AdministrativeUnitRow unit, string status = AppointmentStatuses.Confirmed,
        bool withDossier = true, CitizenAccountRecord? account = null, DateTimeOffset? bookedAt = null)
    {
        account ??= await AccountAsync($"+8491{Random.Shared.Next(0, 10_000_000):D7}");
        var dossier = withDossier ? await Processing.DossierAsync(unit, account.Id, account.IdNumber, procedureCode: Procedure) : null;
        var at = DateTimeOffset.FromUnixTimeMilliseconds((bookedAt ?? DateTimeOffset.UtcNow.AddDays(-3)).ToUnixTimeMilliseconds());
        var active = status is AppointmentStatuses.Held or AppointmentStatuses.Confirmed or AppointmentStatuses.CheckedIn;
        var appointment = new AppointmentRecord
        {
            Id = Guid.NewGuid(), AccountId = account.Id, IdNumber = account.IdNumber, FullName = account.FullName, ProcedureCode = Procedure,
            StationId = station.Id, SessionId = session.Id, Status = status, ActiveProcedure = active ? Procedure : null,
            RequestId = Guid.NewGuid().ToString("D"), HoldExpiresAt = status == AppointmentStatuses.Held ? at.AddMinutes(20) : null,
            DossierId = dossier?.Id, DossierCode = dossier?.Code, BookedAt = at, ConfirmedAt = dossier is null ? null : at.AddMinutes(5),
            CheckedInAt = status is AppointmentStatuses.CheckedIn or AppointmentStatuses.Collected ? at.AddDays(1) : null,
            EndedAt = active ? null : at.AddDays(1), Version = 1,
        };
        await Processing.WithDbAsync(async db =>
        {
            db.Add(appointment);
            await db.Set<StationSessionRecord>().Where(s => s.Id == session.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.Booked, x => x.Booked + 1));
            await db.SaveChangesAsync();
        });
        return new SeededAppointment(appointment, session, station, dossier, account);
    }

    public Task<CallOptions> IntakeAsync(string unitCode) => Processing.OfficialAsync(unitCode, Role.IntakeOfficer);

    public Task<CallOptions> CitizenAsync(CitizenAccountRecord account) => Processing.CitizenAsync(account.Id, account.IdNumber);

    public async Task<AppointmentRecord> ReadAsync(Guid id)
    {
        AppointmentRecord? row = null;
        await Processing.WithDbAsync(async db => row = await db.Set<AppointmentRecord>().AsNoTracking().FirstAsync(a => a.Id == id));
        return row!;
    }

    public async Task<StationSessionRecord> ReadSessionAsync(long id)
    {
        StationSessionRecord? row = null;
        await Processing.WithDbAsync(async db => row = await db.Set<StationSessionRecord>().AsNoTracking().FirstAsync(s => s.Id == id));
        return row!;
    }

    public async Task<List<AppointmentChangeRecord>> ChangesAsync(Guid appointmentId)
    {
        List<AppointmentChangeRecord> rows = [];
        await Processing.WithDbAsync(async db => rows = await db.Set<AppointmentChangeRecord>().AsNoTracking().Where(c => c.AppointmentId == appointmentId).ToListAsync());
        return rows;
    }

    public async Task<List<NotificationRecord>> NotificationsAsync(Guid accountId)
    {
        List<NotificationRecord> rows = [];
        await Processing.WithDbAsync(async db => rows = await db.Set<NotificationRecord>().AsNoTracking().Where(n => n.AccountId == accountId).OrderBy(n => n.Id).ToListAsync());
        return rows;
    }
}
