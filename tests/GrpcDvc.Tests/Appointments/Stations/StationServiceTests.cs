using Google.Rpc;
using Grpc.Core;
using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Contracts.Common.V1;
using GrpcDvc.Server.Appointments;
using GrpcDvc.Server.Appointments.Booking;
using GrpcDvc.Server.Appointments.Slots;
using GrpcDvc.Server.Appointments.Stations;
using GrpcDvc.Server.Calendar;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Appointments.Stations;

/// <summary>StationService over the real in-process server on a real database; run once per provider.</summary>
public abstract class StationServiceTests : IAsyncLifetime
{
    private InProcessServer _server = null!;

    private StationWorld World { get; set; } = null!;

    private StationService.StationServiceClient Stations => World.Client;

    public async Task InitializeAsync()
    {
        _server = await StartServerAsync();
        World = new StationWorld(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    protected abstract Task<InProcessServer> StartServerAsync();

    private static string NewId() => StationWorld.NewId();

    [Fact]
    public async Task CreateStation_ByAManagerOfTheUnit_MaterialisesTheOpenDaysAndTheNext_RetryReturnsTheSame()
    {
        var commune = await World.CommuneAsync();
        var manager = await World.ManagerAsync();
        var request = new CreateStationRequest { RequestId = NewId(), Station = StationWorld.NewStation(commune, capacity: 25, window: 7) };

        var created = (await Stations.CreateStationAsync(request, manager)).Station;
        var again = (await Stations.CreateStationAsync(request, manager)).Station;
        var taken = await Assert.ThrowsAsync<RpcException>(() => Stations.CreateStationAsync(new CreateStationRequest { RequestId = NewId(), Station = request.Station }, manager).ResponseAsync);

        Assert.Equal((1L, true, "00:00", 14), (created.Version, created.Accepting, created.ReleaseTime, created.Template.Sessions.Count));
        Assert.Equal(created, again);
        Assert.Equal(StatusCode.AlreadyExists, taken.StatusCode);
        var rows = await World.SessionsAsync(created.StationId);
        var now = DateTimeOffset.UtcNow;
        var through = BookingWindow.MaterialiseThrough(now, 7, 0);
        Assert.Equal(through, rows.Max(r => r.Date));
        Assert.Equal(StationWorld.Today, rows.Min(r => r.Date));
        Assert.All(rows, r => Assert.Equal((25, 0, false), (r.Capacity, r.Booked, r.Closed)));
        Assert.All(rows, r => Assert.Equal(BookingWindow.OpensAt(r.Date, 7, 0), r.OpensAt));
        Assert.True(rows.Single(r => r.Date == through && r.Part == 1).OpensAt > now, "the day after the window has its rows before it opens");
        Assert.Equal(rows.Count, rows.Select(r => (r.Date, r.Part)).Distinct().Count());
    }

    [Fact]
    public async Task CreateStation_UnitOutsideTheManagersAgency_IsPermissionDenied()
    {
        var commune = await World.CommuneAsync(StationWorld.HoChiMinh);
        var manager = await World.ManagerAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => Stations.CreateStationAsync(
            new CreateStationRequest { RequestId = NewId(), Station = StationWorld.NewStation(commune) }, manager).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task CreateStation_BadFields_IsInvalidArgumentNamingEachField()
    {
        var commune = await World.CommuneAsync();
        var station = StationWorld.NewStation(commune);
        station.StationId = "bad code";
        station.BookingWindowDays = 0;
        station.ReleaseTime = "25:00";
        station.Kind = StationKind.Mobile;
        station.Template.Sessions[0].Capacity = 0;
        station.Template.Sessions[13] = new TemplateSession { Weekday = Weekday.Monday, Part = SessionPart.Evening, StartTime = "18:00", EndTime = "17:00", Capacity = 5 };

        var manager = await World.ManagerAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => Stations.CreateStationAsync(
            new CreateStationRequest { RequestId = NewId(), Station = station }, manager).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var fields = error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations.Select(v => v.Field).ToHashSet();
        Assert.Superset(new HashSet<string>
        {
            "station.station_id", "station.booking_window_days", "station.release_time", "station.visit_from",
            "station.template.sessions[0].capacity", "station.template.sessions[13].part", "station.template.sessions[13].end_time",
        }, fields);
    }

    [Fact]
    public async Task CreateOrUpdateStation_InACommuneOutsideTheManagersAgency_IsPermissionDenied_AndChangesNothing()
    {
        var manager = await World.ManagerAsync();
        var station = await World.StationAsync(await World.CommuneAsync(), manager);
        var elsewhere = await World.CommuneAsync(StationWorld.HoChiMinh);
        var created = StationWorld.NewStation(await World.CommuneAsync());
        created.CommuneCode = elsewhere.Code;
        var moved = station.Clone();
        moved.CommuneCode = elsewhere.Code;

        var create = await Assert.ThrowsAsync<RpcException>(() => Stations.CreateStationAsync(new CreateStationRequest { RequestId = NewId(), Station = created }, manager).ResponseAsync);
        var update = await Assert.ThrowsAsync<RpcException>(() => Stations.UpdateStationAsync(new UpdateStationRequest { RequestId = NewId(), Station = moved }, manager).ResponseAsync);

        Assert.Equal((StatusCode.PermissionDenied, StatusCode.PermissionDenied), (create.StatusCode, update.StatusCode));
        Assert.Equal(station.CommuneCode, (await Stations.GetStationAsync(new GetStationRequest { StationId = station.StationId })).Station.CommuneCode);
        var missing = await Assert.ThrowsAsync<RpcException>(() => Stations.GetStationAsync(new GetStationRequest { StationId = created.StationId }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task UpdateStation_StaleVersion_IsAborted_UnknownStationNotFound_RetryGetsTheFirstAnswer()
    {
        var commune = await World.CommuneAsync();
        var manager = await World.ManagerAsync();
        var station = await World.StationAsync(commune, manager);
        var edit = station.Clone();
        edit.Name = "Trạm thu nhận đổi tên";
        var request = new UpdateStationRequest { RequestId = NewId(), Station = edit };

        var updated = (await Stations.UpdateStationAsync(request, manager)).Station;
        var retried = (await Stations.UpdateStationAsync(request, manager)).Station;
        var stale = await Assert.ThrowsAsync<RpcException>(() => Stations.UpdateStationAsync(new UpdateStationRequest { RequestId = NewId(), Station = edit }, manager).ResponseAsync);
        var missing = await Assert.ThrowsAsync<RpcException>(() => Stations.GetStationAsync(new GetStationRequest { StationId = "NO-SUCH-STATION" }).ResponseAsync);

        Assert.Equal(("Trạm thu nhận đổi tên", 2L), (updated.Name, updated.Version));
        Assert.Equal(updated, retried);
        Assert.Equal(StatusCode.Aborted, stale.StatusCode);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.Equal(updated, (await Stations.GetStationAsync(new GetStationRequest { StationId = station.StationId })).Station);
    }

    [Fact]
    public async Task ListStations_ByAreaAndProcedure_IsPublicAndPaged()
    {
        var commune = await World.CommuneAsync();
        var other = await World.CommuneAsync();
        var manager = await World.ManagerAsync();
        var a = await World.StationAsync(commune, manager);
        var b = await World.StationAsync(commune, manager);
        await World.StationAsync(other, manager);

        var first = await Stations.ListStationsAsync(new ListStationsRequest { AreaCode = commune.Code, Page = new PageRequest { PageSize = 1 } });
        var second = await Stations.ListStationsAsync(new ListStationsRequest { AreaCode = commune.Code, Page = new PageRequest { PageSize = 1, PageToken = first.Page.NextPageToken } });
        var none = await Stations.ListStationsAsync(new ListStationsRequest { AreaCode = commune.Code, ProcedureCode = "BCA-L3-02" });
        var unknown = await Assert.ThrowsAsync<RpcException>(() => Stations.ListStationsAsync(new ListStationsRequest { AreaCode = "NO-SUCH-AREA" }).ResponseAsync);

        Assert.Equal(2, first.Page.TotalSize);
        Assert.Equal(new[] { a.StationId, b.StationId }.Order(StringComparer.Ordinal), first.Stations.Concat(second.Stations).Select(s => s.StationId));
        Assert.Empty(second.Page.NextPageToken);
        Assert.Empty(none.Stations);
        Assert.Equal(StatusCode.InvalidArgument, unknown.StatusCode);
    }

    [Fact]
    public async Task SetDayOverride_ClosingADayWithBookings_MovesTheCitizensOutAndEnqueuesTheirSms_InOneAnswerARetryRepeats()
    {
        var commune = await World.CommuneAsync();
        var manager = await World.ManagerAsync();
        var station = await World.StationAsync(commune, manager);
        var day = await World.BookableDayAsync(station.StationId);
        var morning = await World.SessionAsync(station.StationId, day, SessionPart.Morning);
        var afternoon = await World.SessionAsync(station.StationId, day, SessionPart.Afternoon);
        var booked = new[] { await World.AppointmentAsync(morning, 0), await World.AppointmentAsync(morning, 1), await World.AppointmentAsync(afternoon, 2) };
        var request = new SetDayOverrideRequest
        {
            RequestId = NewId(), StationId = station.StationId,
            Override = new DayOverride { Date = StationWorld.Proto(day), Kind = OverrideKind.Closed, Reason = "mất điện" },
        };

        var answer = await Stations.SetDayOverrideAsync(request, manager);
        var retry = await Stations.SetDayOverrideAsync(request, manager);

        Assert.Equal(3, answer.MovedOut);
        Assert.Equal(answer, retry);
        Assert.All(answer.Sessions, s => Assert.Equal((true, 0), (s.Closed, s.Booked)));
        var laterSessions = (await World.SessionsAsync(station.StationId)).Where(s => s.Date > day).Select(s => s.Id).ToHashSet();
        foreach (var appointment in booked)
        {
            var row = await World.ReadAppointmentAsync(appointment.Id);
            Assert.Equal((AppointmentStatuses.CancelledByStation, null, "mất điện"), (row.Status, row.ActiveProcedure, row.StationNote));
            Assert.NotNull(row.EndedAt);
            var offered = System.Text.Json.JsonSerializer.Deserialize<long[]>(row.Offered!)!;
            Assert.Equal(StationMoveOut.OfferedSessions, offered.Length);
            Assert.Subset(laterSessions, offered.ToHashSet());
            var change = Assert.Single(await World.ChangesAsync(appointment.Id));
            Assert.Equal((AppointmentChangeKinds.CancelByStation, appointment.SessionId), (change.Kind, change.FromSessionId));
            var sms = Assert.Single(await World.NotificationsAsync(appointment.AccountId));
            Assert.Equal(StationMoveOut.NotificationKind, sms.Kind);
            Assert.Contains("hủy lịch hẹn", sms.Text, StringComparison.Ordinal);
            Assert.Contains("mất điện", sms.Text, StringComparison.Ordinal);
            Assert.Contains($"{day.AddDays(1):dd/MM/yyyy}", sms.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SetDayOverride_ClosingASessionWithACitizenCheckedIn_LeavesThemBeingServed()
    {
        var commune = await World.CommuneAsync();
        var manager = await World.ManagerAsync();
        var station = await World.StationAsync(commune, manager);
        var day = await World.BookableDayAsync(station.StationId);
        var morning = await World.SessionAsync(station.StationId, day, SessionPart.Morning);
        var waiting = await World.AppointmentAsync(morning, 0);
        var served = await World.AppointmentAsync(morning, 1);
        await World.WithDbAsync(db => db.Set<AppointmentRecord>().Where(a => a.Id == served.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.Status, AppointmentStatuses.CheckedIn)));

        var answer = await Stations.SetDayOverrideAsync(new SetDayOverrideRequest
        {
            RequestId = NewId(), StationId = station.StationId,
            Override = new DayOverride { Date = StationWorld.Proto(day), Kind = OverrideKind.Closed, Part = SessionPart.Morning },
        }, manager);

        Assert.Equal(1, answer.MovedOut);
        Assert.Equal((true, 1), (answer.Sessions[0].Closed, answer.Sessions[0].Booked));
        Assert.False(answer.Sessions[1].Closed);
        Assert.Equal(AppointmentStatuses.CancelledByStation, (await World.ReadAppointmentAsync(waiting.Id)).Status);
        Assert.Equal(AppointmentStatuses.CheckedIn, (await World.ReadAppointmentAsync(served.Id)).Status);
        Assert.Contains("trạm nghỉ", Assert.Single(await World.NotificationsAsync(waiting.AccountId)).Text, StringComparison.Ordinal);
        Assert.Empty(await World.NotificationsAsync(served.AccountId));
    }

    [Fact]
    public async Task SetQuota_BelowBooked_IsFailedPreconditionNamingEachSession_AndChangesNothing()
    {
        var commune = await World.CommuneAsync();
        var manager = await World.ManagerAsync();
        var station = await World.StationAsync(commune, manager, capacity: 10);
        var day = await World.BookableDayAsync(station.StationId);
        var morning = await World.SessionAsync(station.StationId, day, SessionPart.Morning);
        var afternoon = await World.SessionAsync(station.StationId, day, SessionPart.Afternoon);
        for (var i = 0; i < 4; i++)
        {
            await World.AppointmentAsync(morning, i);
            await World.AppointmentAsync(afternoon, i);
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => Stations.SetQuotaAsync(new SetQuotaRequest
        {
            RequestId = NewId(), StationId = station.StationId, FromDate = StationWorld.Proto(StationWorld.Today), ToDate = StationWorld.Proto(day.AddDays(30)), Capacity = 3,
        }, manager).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        var violations = error.GetRpcStatus()!.GetDetail<PreconditionFailure>().Violations;
        Assert.Equal([$"{day:yyyy-MM-dd}/Morning", $"{day:yyyy-MM-dd}/Afternoon"], violations.Select(v => v.Subject));
        Assert.All(violations, v => Assert.Equal("QUOTA_BELOW_BOOKED", v.Type));
        Assert.All(await World.SessionsAsync(station.StationId), s => Assert.Equal(10, s.Capacity));
    }

    [Fact]
    public async Task SetQuota_WithSurplusCancelLatest_MovesOutTheLatestBookings_AndQuotasFutureDaysByOverride()
    {
        var commune = await World.CommuneAsync();
        var manager = await World.ManagerAsync();
        var station = await World.StationAsync(commune, manager, capacity: 10);
        var day = await World.BookableDayAsync(station.StationId);
        var morning = await World.SessionAsync(station.StationId, day, SessionPart.Morning);
        var booked = new List<AppointmentRecord>();
        for (var i = 0; i < 5; i++)
        {
            booked.Add(await World.AppointmentAsync(morning, i));
        }

        var farDay = StationWorld.Today.AddDays(40);
        var answer = await Stations.SetQuotaAsync(new SetQuotaRequest
        {
            RequestId = NewId(), StationId = station.StationId, FromDate = StationWorld.Proto(day), ToDate = StationWorld.Proto(farDay),
            Parts = { SessionPart.Morning }, Capacity = 3, Surplus = SurplusHandling.CancelLatestAndNotify,
        }, manager);

        Assert.Equal(2, answer.MovedOut);
        var rows = await World.SessionsAsync(station.StationId);
        Assert.Equal((3, 3), (rows.Single(r => r.Id == morning.Id).Capacity, rows.Single(r => r.Id == morning.Id).Booked));
        Assert.All(rows.Where(r => r.Date >= day && r.Part == 1), r => Assert.Equal(3, r.Capacity));
        Assert.All(rows.Where(r => r.Part == 2), r => Assert.Equal(10, r.Capacity));
        var statuses = new List<string>();
        foreach (var appointment in booked)
        {
            statuses.Add((await World.ReadAppointmentAsync(appointment.Id)).Status);
        }

        Assert.Equal([AppointmentStatuses.Confirmed, AppointmentStatuses.Confirmed, AppointmentStatuses.Confirmed, AppointmentStatuses.CancelledByStation, AppointmentStatuses.CancelledByStation], statuses);
        Assert.Single(await World.NotificationsAsync(booked[4].AccountId));
        Assert.Empty(await World.NotificationsAsync(booked[0].AccountId));
        await World.WithDbAsync(async db =>
        {
            var overrides = await db.Set<StationOverrideRecord>().AsNoTracking().Where(o => o.StationId == station.StationId).ToListAsync();
            Assert.Contains(overrides, o => o.Date == farDay && o.Part == 1 && o.Kind == StationOverrideKinds.Capacity && o.Capacity == 3);
            Assert.DoesNotContain(overrides, o => o.Part == 2);
        });
    }

    [Fact]
    public async Task SetQuota_RacingBookings_NeverLeavesBookedAboveCapacity()
    {
        var commune = await World.CommuneAsync();
        var manager = await World.ManagerAsync();
        var station = await World.StationAsync(commune, manager, capacity: 40);
        var day = await World.BookableDayAsync(station.StationId);
        var session = await World.SessionAsync(station.StationId, day, SessionPart.Morning);
        var capacities = new[] { 12, 30, 8, 25, 15, 40, 10, 20 };

        var bookings = Enumerable.Range(0, 60).Select(i => Task.Run(async () =>
        {
            try
            {
                await World.AppointmentAsync(session, i);
                return true;
            }
            catch (Xunit.Sdk.XunitException)
            {
                return false; // full at that moment
            }
        })).ToList();
        var quotas = capacities.Select(c => Task.Run(async () =>
        {
            try
            {
                await Stations.SetQuotaAsync(new SetQuotaRequest
                {
                    RequestId = NewId(), StationId = station.StationId, FromDate = StationWorld.Proto(day), ToDate = StationWorld.Proto(day),
                    Parts = { SessionPart.Morning }, Capacity = c,
                }, manager);
                return true;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition)
            {
                return false;
            }
        })).ToList();
        var confirmed = (await Task.WhenAll(bookings)).Count(b => b);
        await Task.WhenAll(quotas);

        var row = await World.SessionAsync(station.StationId, day, SessionPart.Morning);
        Assert.True(row.Booked <= row.Capacity, $"booked {row.Booked} > capacity {row.Capacity}");
        Assert.Equal(confirmed, row.Booked);
        Assert.True(confirmed > 0);
    }

    [Fact]
    public async Task SetWeeklyTemplate_AppliesToDaysNotYetOpen_OpenDaysKeepTheirSessions()
    {
        var commune = await World.CommuneAsync();
        var manager = await World.ManagerAsync();
        var station = await World.StationAsync(commune, manager, capacity: 10);
        var before = await World.SessionsAsync(station.StationId);

        var changed = (await Stations.SetWeeklyTemplateAsync(new SetWeeklyTemplateRequest
        {
            RequestId = NewId(), StationId = station.StationId, Version = station.Version, Template = StationWorld.EveryDay(99),
        }, manager)).Station;

        var now = DateTimeOffset.UtcNow;
        var after = await World.SessionsAsync(station.StationId);
        Assert.Equal(2, changed.Version);
        Assert.All(after.Where(s => s.OpensAt <= now), s => Assert.Equal(10, s.Capacity));
        Assert.All(after.Where(s => s.OpensAt > now), s => Assert.Equal(99, s.Capacity));
        Assert.Contains(after, s => s.OpensAt > now);
        Assert.Equal(before.Select(s => (s.Date, s.Part)), after.Select(s => (s.Date, s.Part)));
    }

    [Fact]
    public async Task SetQuota_ThenANewTemplate_DaysNotYetOpenKeepTheQuota()
    {
        var commune = await World.CommuneAsync();
        var manager = await World.ManagerAsync();
        var station = await World.StationAsync(commune, manager, capacity: 10);
        var through = StationWorld.Today.AddDays(30);
        await Stations.SetQuotaAsync(new SetQuotaRequest
        {
            RequestId = NewId(), StationId = station.StationId, FromDate = StationWorld.Proto(StationWorld.Today), ToDate = StationWorld.Proto(through),
            Parts = { SessionPart.Afternoon }, Capacity = 7,
        }, manager);

        await Stations.SetWeeklyTemplateAsync(new SetWeeklyTemplateRequest
        {
            RequestId = NewId(), StationId = station.StationId, Version = station.Version, Template = StationWorld.EveryDay(99),
        }, manager);

        var now = DateTimeOffset.UtcNow;
        var unopened = (await World.SessionsAsync(station.StationId)).Where(s => s.OpensAt > now).ToList();
        Assert.NotEmpty(unopened);
        Assert.All(unopened, s => Assert.Equal(s.Part == 2 ? 7 : 99, s.Capacity));
    }

    [Fact]
    public async Task SetDayOverride_ExtraEvening_AddsASessionRow_CapacityBelowBookedRefused()
    {
        var commune = await World.CommuneAsync();
        var manager = await World.ManagerAsync();
        var station = await World.StationAsync(commune, manager, capacity: 10);
        var day = await World.BookableDayAsync(station.StationId);
        await World.AppointmentAsync(await World.SessionAsync(station.StationId, day, SessionPart.Afternoon));
        await World.AppointmentAsync(await World.SessionAsync(station.StationId, day, SessionPart.Afternoon), 1);

        var extra = await Stations.SetDayOverrideAsync(new SetDayOverrideRequest
        {
            RequestId = NewId(), StationId = station.StationId,
            Override = new DayOverride { Date = StationWorld.Proto(day), Kind = OverrideKind.ExtraSession, Part = SessionPart.Evening, StartTime = "18:00", EndTime = "21:00", Capacity = 30 },
        }, manager);
        var refused = await Assert.ThrowsAsync<RpcException>(() => Stations.SetDayOverrideAsync(new SetDayOverrideRequest
        {
            RequestId = NewId(), StationId = station.StationId,
            Override = new DayOverride { Date = StationWorld.Proto(day), Kind = OverrideKind.Capacity, Part = SessionPart.Afternoon, Capacity = 1 },
        }, manager).ResponseAsync);

        Assert.Equal([SessionPart.Morning, SessionPart.Afternoon, SessionPart.Evening], extra.Sessions.Select(s => s.Part));
        Assert.Equal(VietnamTime.At(day, TimeSpan.FromHours(18)), extra.Sessions[2].StartsAt.ToDateTimeOffset());
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Equal(10, (await World.SessionAsync(station.StationId, day, SessionPart.Afternoon)).Capacity);
    }

    [Fact]
    public async Task SetQuotaAndSetDayOverride_OpenPlaces_SoTheOffersAndFullSessionsThisInstanceRememberedAreForgotten()
    {
        var commune = await World.CommuneAsync();
        var manager = await World.ManagerAsync();
        var station = await World.StationAsync(commune, manager, capacity: 10);
        var day = await World.BookableDayAsync(station.StationId);
        var offers = _server.Services.GetRequiredService<NearbyOffers>();
        var area = SlotArea.Units([1, 2]);
        bool Remembered() => offers.Find(area, "BCA-L3-01", day, exceptSessionId: 0, take: 5) is not null;

        var gate = _server.Services.GetRequiredService<BookingGate>();
        gate.RememberFull(new BookedSession(
            new StationSessionRecord { Id = 1, StationId = station.StationId, Date = day, Part = 1 },
            new StationRecord { Id = station.StationId, Name = "Trạm", Kind = "fixed", UnitCode = "U", CommuneCode = "C", Address = "A", CreateRequestId = "r" }),
            "BCA-L3-01", new OpenSessions());
        offers.Remember(area, "BCA-L3-01", day, [], asked: 6);
        var before = Remembered();
        var fullBefore = gate.KnownFull(station.StationId, day, 1, "BCA-L3-01") is not null;
        await Stations.SetQuotaAsync(new SetQuotaRequest
        {
            RequestId = NewId(), StationId = station.StationId, FromDate = StationWorld.Proto(day), ToDate = StationWorld.Proto(day), Capacity = 20,
        }, manager);
        var afterQuota = Remembered();
        var fullAfterQuota = gate.KnownFull(station.StationId, day, 1, "BCA-L3-01") is not null;
        offers.Remember(area, "BCA-L3-01", day, [], asked: 6);
        await Stations.SetDayOverrideAsync(new SetDayOverrideRequest
        {
            RequestId = NewId(), StationId = station.StationId,
            Override = new DayOverride { Date = StationWorld.Proto(day), Kind = OverrideKind.ExtraSession, Part = SessionPart.Evening, StartTime = "18:00", EndTime = "21:00", Capacity = 30 },
        }, manager);

        Assert.Equal((true, false, false), (before, afterQuota, Remembered()));
        Assert.Equal((true, false), (fullBefore, fullAfterQuota));
    }

    [Fact]
    public async Task GetStationUtilization_CountsPerSessionByStatus_AuditorOutsideAgencyDenied()
    {
        var commune = await World.CommuneAsync();
        var manager = await World.ManagerAsync();
        var station = await World.StationAsync(commune, manager, capacity: 10);
        var day = await World.BookableDayAsync(station.StationId);
        var morning = await World.SessionAsync(station.StationId, day, SessionPart.Morning);
        await World.AppointmentAsync(morning);
        var cancelled = await World.AppointmentAsync(morning, 1);
        await World.WithDbAsync(db => db.Set<AppointmentRecord>().Where(a => a.Id == cancelled.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.Status, AppointmentStatuses.Cancelled).SetProperty(a => a.ActiveProcedure, (string?)null)));
        var range = new GetStationUtilizationRequest { StationId = station.StationId, FromDate = StationWorld.Proto(day), ToDate = StationWorld.Proto(day) };

        var outsider = await World.ManagerAsync("P34-79", Role.Auditor);

        var answer = await Stations.GetStationUtilizationAsync(range, await World.ManagerAsync(StationWorld.HaNoiCode, Role.Auditor));
        var outside = await Assert.ThrowsAsync<RpcException>(() => Stations.GetStationUtilizationAsync(range, outsider).ResponseAsync);

        Assert.Equal(2, answer.Sessions.Count);
        Assert.Equal((10, 2, 1), (answer.Sessions[0].Capacity, answer.Sessions[0].Booked, answer.Sessions[0].Cancelled));
        Assert.Equal((20, 2, 1), (answer.Total.Capacity, answer.Total.Booked, answer.Total.Cancelled));
        Assert.Equal(StatusCode.PermissionDenied, outside.StatusCode);
    }
}

public sealed class StationServiceOnSqliteTests : StationServiceTests
{
    protected override Task<InProcessServer> StartServerAsync()
        => InProcessServer.StartAsync(null, "--Dvc:Population:DemoCitizens=0", "--Dvc:Access:UnitReloadInterval=00:00:00");
}

[Collection(PostgresCollection.Name)]
public sealed class StationServiceOnPostgresTests(PostgresCluster cluster) : StationServiceTests
{
    protected override async Task<InProcessServer> StartServerAsync()
        => await InProcessServer.StartAsync(await cluster.CreateDatabaseAsync(), "--Dvc:Access:UnitReloadInterval=00:00:00");
}
