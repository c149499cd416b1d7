using Grpc.Core;
using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Server.Appointments;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Tests.Dossiers.Submission;
using GrpcDvc.Tests.Population;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProtoDate = GrpcDvc.Contracts.Common.V1.Date;

namespace GrpcDvc.Tests.Appointments.Booking;

/// <summary>
/// The real server on the registry's test units with a clock the test sets, and stations and
/// sessions seeded straight into the database (their creation is the stations part's): a station
/// of district A (Quận Ba Đình) taking the level-3 identity-card procedures.
/// </summary>
public sealed class BookingWorld : IAsyncDisposable
{
    public const string Procedure = "BCA-L3-01";

    private int _station;

    private BookingWorld(SubmissionServer server)
    {
        Server = server;
        Appointments = new AppointmentService.AppointmentServiceClient(server.Registry.Server.Channel);
    }

    public SubmissionServer Server { get; }

    public AppointmentService.AppointmentServiceClient Appointments { get; }

    /// <summary>Monday 7/12/2026 09:00 in Hà Nội.</summary>
    public static DateTimeOffset Now => SubmissionServer.MondayMorning;

    /// <summary>The sessions booked in the tests: Wednesday 9/12/2026.</summary>
    public static DateOnly Day { get; } = new(2026, 12, 9);

    public static Task<BookingWorld> StartAsync(string? postgres, params string[] extraArgs) => StartWithAsync(postgres, null, extraArgs);

    /// <summary>As <see cref="StartAsync"/>, with more services on the server (a test's interceptors).</summary>
    public static async Task<BookingWorld> StartWithAsync(string? postgres, Action<IServiceCollection>? configureServices, params string[] extraArgs)
        => new(await SubmissionServer.StartWithAsync(postgres, configureServices, [
            // The scheduled expiry stays out of the way: the tests run the job themselves.
            "--Dvc:Appointments:Booking:ExpiryInterval=1.00:00:00", .. extraArgs]));

    /// <summary>
    /// For dossier tests of level-3 procedures: a hold of <paramref name="callerKey"/> at a new station
    /// of district A, in a session far enough ahead of the server's clock; the appointment id to submit with.
    /// </summary>
    public static async Task<string> HoldForAsync(SubmissionServer server, string callerKey, string procedure = Procedure)
    {
        var world = new BookingWorld(server);
        var station = await world.StationAsync();
        var day = VietnamDay(server.Clock.GetUtcNow()).AddDays(14);
        await world.SessionAsync(station, 100, day, opensAt: server.Clock.GetUtcNow().AddDays(-30));
        var request = Request(station, day);
        request.ProcedureCode = procedure;
        return (await world.BookAsync(callerKey, request)).AppointmentId;
    }

    private static DateOnly VietnamDay(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(TimeSpan.FromHours(7)).DateTime);

    /// <summary>A station of district A (commune A) taking <see cref="Procedure"/> and BCA-L3-02 unless told; its id.</summary>
    public async Task<string> StationAsync(bool accepting = true, string unitCode = RegistryTestData.DistrictA, string communeCode = RegistryTestData.CommuneA,
        params string[] procedures)
    {
        var id = $"TR-{Interlocked.Increment(ref _station):D3}-{Guid.NewGuid():N}"[..16];
        await Server.WithDbAsync(async db =>
        {
            var district = await db.Set<AdministrativeUnitRow>().FirstAsync(u => u.Code == unitCode);
            var commune = await db.Set<AdministrativeUnitRow>().FirstAsync(u => u.Code == communeCode);
            db.Set<StationRecord>().Add(new StationRecord
            {
                Id = id, Name = $"Trạm thu nhận {id}", Kind = StationKinds.Fixed, UnitId = district.Id, UnitCode = district.Code,
                CommuneUnitId = commune.Id, CommuneCode = commune.Code, Address = "Số 1 phố Đội Cấn", BookingWindowDays = 14,
                ReleaseMinute = 0, Accepting = accepting, Version = 1, CreateRequestId = Guid.NewGuid().ToString(), CreatedAt = Now, UpdatedAt = Now,
            });
            db.Set<StationProcedureRecord>().AddRange((procedures.Length > 0 ? procedures : [Procedure, "BCA-L3-02"])
                .Select(code => new StationProcedureRecord { StationId = id, ProcedureCode = code }));
            return await db.SaveChangesAsync();
        });
        return id;
    }

    /// <summary>A session of the station (morning 07:30–11:30, afternoon 13:30–17:00 on <paramref name="date"/>), open since yesterday unless told.</summary>
    public async Task<long> SessionAsync(string stationId, int capacity, DateOnly? date = null, SessionPart part = SessionPart.Morning,
        DateTimeOffset? opensAt = null, bool closed = false, int booked = 0)
    {
        var day = date ?? Day;
        var (start, end) = part == SessionPart.Morning ? (450, 690) : (810, 1020);
        var session = new StationSessionRecord
        {
            StationId = stationId, Date = day, Part = (int)part,
            StartsAt = At(day, start), EndsAt = At(day, end), OpensAt = opensAt ?? Now.AddDays(-1),
            Capacity = capacity, Booked = booked, Closed = closed,
        };
        await Server.WithDbAsync(async db =>
        {
            db.Set<StationSessionRecord>().Add(session);
            return await db.SaveChangesAsync();
        });
        return session.Id;
    }

    public static DateTimeOffset At(DateOnly day, int minute)
        => new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(7)).AddMinutes(minute);

    /// <summary>A signed-in citizen (standing in by header) that needs no registry row; the caller key.</summary>
    public string Citizen(int n)
    {
        var key = $"citizen-{n}";
        Server.Registry.Callers.Citizen(key, $"0010{n:D8}");
        return key;
    }

    public static BookAppointmentRequest Request(string stationId, DateOnly? date = null, SessionPart part = SessionPart.Morning, string? requestId = null)
    {
        var day = date ?? Day;
        return new BookAppointmentRequest
        {
            RequestId = requestId ?? Guid.NewGuid().ToString(),
            StationId = stationId,
            Date = new ProtoDate { Year = day.Year, Month = day.Month, Day = day.Day },
            Part = part,
            ProcedureCode = Procedure,
        };
    }

    public async Task<Appointment> BookAsync(string caller, BookAppointmentRequest request)
        => (await Appointments.BookAppointmentAsync(request, SubmissionServer.As(caller))).Appointment;

    /// <summary>Books as a patient client does: an UNAVAILABLE (the admission gate) is retried with the same request id after a moment.</summary>
    public async Task<Appointment> BookRetryingAsync(string caller, BookAppointmentRequest request)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await BookAsync(caller, request);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && attempt < 50)
            {
                await Task.Delay(Random.Shared.Next(20, 120));
            }
        }
    }

    /// <summary>The session's booked count and the appointments holding a place in it.</summary>
    public Task<(int Booked, int Active)> PlacesAsync(long sessionId) => Server.WithDbAsync(async db => (
        await db.Set<StationSessionRecord>().Where(s => s.Id == sessionId).Select(s => s.Booked).SingleAsync(),
        await db.Set<AppointmentRecord>().CountAsync(a => a.SessionId == sessionId && a.ActiveProcedure != null)));

    public Task<AppointmentRecord> RowAsync(string id)
        => Server.WithDbAsync(db => db.Set<AppointmentRecord>().AsNoTracking().SingleAsync(a => a.Id == Guid.Parse(id)));

    public T Service<T>() where T : notnull => Server.Registry.Server.Services.GetRequiredService<T>();

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
