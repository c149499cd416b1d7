using Google.Rpc;
using Grpc.Core;
using GrpcDvc.Client;
using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Contracts.Dossiers.V1;
using GrpcDvc.Server.Appointments;
using GrpcDvc.Server.Appointments.Booking;
using GrpcDvc.Server.Dossiers;
using GrpcDvc.Tests.Dossiers.Submission;
using GrpcDvc.Tests.Population;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using static GrpcDvc.Tests.Appointments.Booking.BookingWorld;

namespace GrpcDvc.Tests.Appointments.Booking;

/// <summary>The booking's rules through the real server and database: holds, the booking window, one active appointment, retries, moves, expiry, confirmation by SubmitDossier. Once per provider.</summary>
public abstract class BookingRuleTests : IAsyncLifetime
{
    protected BookingWorld World { get; private set; } = null!;

    public async Task InitializeAsync() => World = await BookingWorld.StartAsync(await PostgresAsync());

    public async Task DisposeAsync() => await World.DisposeAsync();

    protected abstract Task<string?> PostgresAsync();

    [Fact]
    public async Task Book_OpenSession_HoldsOnePlaceForTheConfiguredHold()
    {
        var station = await World.StationAsync();
        var session = await World.SessionAsync(station, capacity: 3);

        var held = await World.BookAsync(World.Citizen(1), Request(station));

        Assert.Equal((AppointmentStatus.Held, "Giữ chỗ", Procedure), (held.Status, held.StatusName, held.ProcedureCode));
        Assert.Equal(Now.AddMinutes(10), held.HoldExpiresAt.ToDateTimeOffset());
        Assert.Equal((3, 1, 2), (held.Slot.Capacity, held.Slot.Booked, held.Slot.Remaining));
        Assert.Equal((1, 1), await World.PlacesAsync(session));
    }

    [Fact]
    public async Task Book_BeforeTheDayOpens_ClosedOrStarted_IsFailedPreconditionWithTheReason()
    {
        var station = await World.StationAsync();
        await World.SessionAsync(station, 5, opensAt: Now.AddHours(15));
        await World.SessionAsync(station, 5, part: SessionPart.Afternoon, closed: true);
        await World.SessionAsync(station, 5, date: new DateOnly(2026, 12, 7));
        var caller = World.Citizen(1);

        var notOpen = await Assert.ThrowsAsync<RpcException>(() => World.BookAsync(caller, Request(station)));
        var closed = await Assert.ThrowsAsync<RpcException>(() => World.BookAsync(caller, Request(station, part: SessionPart.Afternoon)));
        var started = await Assert.ThrowsAsync<RpcException>(() => World.BookAsync(caller, Request(station, date: new DateOnly(2026, 12, 7))));

        Assert.All(new[] { notOpen, closed, started }, e => Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode));
        Assert.Equal([BookingErrors.NotOpenYet, BookingErrors.Closed, BookingErrors.Started],
            new[] { notOpen, closed, started }.Select(e => e.GetErrorInfo()!.Reason));
        Assert.Contains("00:00 08/12/2026", notOpen.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, await World.Server.WithDbAsync(db => db.Set<AppointmentRecord>().CountAsync()));
    }

    /// <summary>
    /// A station not taking bookings, one not taking the procedure, and a procedure not booked at stations (a
    /// residence procedure the station is set up for by mistake) are refused, and no place is taken: on
    /// PostgreSQL the hold runs in the statement that reads these facts, and must not run when one fails.
    /// </summary>
    [Fact]
    public async Task Book_AtAStationNotAcceptingOrNotTakingIt_OrAProcedureNotBookedAtStations_IsRefused_AndTakesNoPlace()
    {
        var closedStation = await World.StationAsync(accepting: false);
        var closedSession = await World.SessionAsync(closedStation, 5);
        var station = await World.StationAsync();
        var session = await World.SessionAsync(station, 5);
        await World.Server.WithDbAsync(async db =>
        {
            db.Set<StationProcedureRecord>().Add(new StationProcedureRecord { StationId = station, ProcedureCode = "BCA-L4-01" });
            return await db.SaveChangesAsync();
        });
        var caller = World.Citizen(1);

        var notAccepting = await Assert.ThrowsAsync<RpcException>(() => World.BookAsync(caller, Request(closedStation)));
        var notTaking = await Assert.ThrowsAsync<RpcException>(() => World.BookAsync(caller, WithProcedure(Request(station), "BCA-L3-03")));
        var notBookable = await Assert.ThrowsAsync<RpcException>(() => World.BookAsync(caller, WithProcedure(Request(station), "BCA-L4-01")));

        Assert.All(new[] { notAccepting, notTaking, notBookable }, e => Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode));
        Assert.Equal([BookingErrors.StationNotAccepting, BookingErrors.StationNotTaking, BookingErrors.NotBookable],
            new[] { notAccepting, notTaking, notBookable }.Select(e => e.GetErrorInfo()!.Reason));
        Assert.Equal((0, 0), await World.PlacesAsync(closedSession));
        Assert.Equal((0, 0), await World.PlacesAsync(session));
    }

    private static BookAppointmentRequest WithProcedure(BookAppointmentRequest request, string procedureCode)
    {
        request.ProcedureCode = procedureCode;
        return request;
    }

    [Fact]
    public async Task Book_ASecondForTheSameProcedure_IsAlreadyBookedNamingTheFirst()
    {
        var station = await World.StationAsync();
        await World.SessionAsync(station, 5);
        var afternoon = await World.SessionAsync(station, 5, part: SessionPart.Afternoon);
        var caller = World.Citizen(1);
        var first = await World.BookAsync(caller, Request(station));

        var second = await Assert.ThrowsAsync<RpcException>(() => World.BookAsync(caller, Request(station, part: SessionPart.Afternoon)));

        Assert.Equal((StatusCode.FailedPrecondition, BookingErrors.AlreadyBooked), (second.StatusCode, second.GetErrorInfo()!.Reason));
        Assert.Contains(first.AppointmentId, second.Status.Detail, StringComparison.Ordinal);
        Assert.Equal((0, 0), await World.PlacesAsync(afternoon));
    }

    [Fact]
    public async Task Book_SameRequestIdRetriedAndRacing_ReturnsTheFirstAnswerAndTakesOnePlace()
    {
        var station = await World.StationAsync();
        var session = await World.SessionAsync(station, 5);
        var caller = World.Citizen(1);
        var request = Request(station);

        var racing = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(() => World.BookRetryingAsync(caller, request))));
        var retried = await World.BookAsync(caller, request);

        Assert.Single(racing.Select(a => a.AppointmentId).Append(retried.AppointmentId).Distinct());
        Assert.Equal((1, 1), await World.PlacesAsync(session));
    }

    [Fact]
    public async Task Book_FullSession_IsResourceExhaustedWithQuotaFailureAndTheNextOpenSessions()
    {
        var station = await World.StationAsync();
        var full = await World.SessionAsync(station, 1);
        await World.SessionAsync(station, 4, part: SessionPart.Afternoon);
        await World.BookAsync(World.Citizen(1), Request(station));

        var refused = await Assert.ThrowsAsync<RpcException>(() => World.BookAsync(World.Citizen(2), Request(station)));

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        var status = refused.GetRpcStatus()!;
        Assert.Equal($"station_sessions/{full}", Assert.Single(status.GetDetail<QuotaFailure>()!.Violations).Subject);
        var offered = Assert.Single(status.GetDetail<OpenSessions>()!.Slots);
        Assert.Equal((SessionPart.Afternoon, 4), (offered.Part, offered.Remaining));
        Assert.Equal((1, 1), await World.PlacesAsync(full));
    }

    [Fact]
    public async Task Book_FullSession_OffersOnlyStationsOfItsUnitOrItsCommune_TakingBookings()
    {
        var station = await World.StationAsync();
        await World.SessionAsync(station, 1);
        // Another station whose unit is the full station's commune: offered.
        var sameCommune = await World.StationAsync(unitCode: RegistryTestData.CommuneA, communeCode: RegistryTestData.CommuneA);
        var near = await World.SessionAsync(sameCommune, 3, part: SessionPart.Afternoon);
        // Elsewhere, or not taking bookings: not offered, though open and earlier.
        var elsewhere = await World.StationAsync(unitCode: RegistryTestData.ProvinceB, communeCode: RegistryTestData.CommuneB);
        await World.SessionAsync(elsewhere, 5);
        var closedStation = await World.StationAsync(accepting: false);
        await World.SessionAsync(closedStation, 5);
        await World.BookAsync(World.Citizen(1), Request(station));

        var refused = await Assert.ThrowsAsync<RpcException>(() => World.BookAsync(World.Citizen(2), Request(station)));

        var offered = Assert.Single(refused.GetRpcStatus()!.GetDetail<OpenSessions>()!.Slots);
        Assert.Equal((sameCommune, SessionPart.Afternoon, 3), (offered.StationId, offered.Part, offered.Remaining));
        Assert.Equal((0, 0), await World.PlacesAsync(near));
    }

    [Fact]
    public async Task Book_FullSession_WithNoOtherOpenSessionNearby_IsResourceExhaustedOfferingNone_ForEachProcedure()
    {
        var station = await World.StationAsync();
        var full = await World.SessionAsync(station, 1);
        await World.BookAsync(World.Citizen(1), Request(station));

        var refused = await Assert.ThrowsAsync<RpcException>(() => World.BookAsync(World.Citizen(2), Request(station)));
        var remembered = await Assert.ThrowsAsync<RpcException>(() => World.BookAsync(World.Citizen(3), WithProcedure(Request(station), "BCA-L3-02")));

        Assert.All(new[] { refused, remembered }, e =>
        {
            Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
            Assert.Equal($"station_sessions/{full}", Assert.Single(e.GetRpcStatus()!.GetDetail<QuotaFailure>()!.Violations).Subject);
            Assert.Empty(e.GetRpcStatus()!.GetDetail<OpenSessions>()!.Slots);
        });
    }

    /// <summary>
    /// A full session's offers are per procedure (and so is the memo of it): a station nearby taking only the
    /// second procedure is offered for that one only. A procedure the station does not take is still refused
    /// as such, not as full.
    /// </summary>
    [Fact]
    public async Task Book_FullSession_ForEachProcedureOfTheStation_OffersSessionsTakingThatProcedure()
    {
        var station = await World.StationAsync();
        var full = await World.SessionAsync(station, 1);
        var afternoon = await World.SessionAsync(station, 2, part: SessionPart.Afternoon);
        var onlySecond = await World.StationAsync(procedures: "BCA-L3-02");
        await World.SessionAsync(onlySecond, 3);
        await World.BookAsync(World.Citizen(1), Request(station));

        var first = await Assert.ThrowsAsync<RpcException>(() => World.BookAsync(World.Citizen(2), Request(station)));
        var second = await Assert.ThrowsAsync<RpcException>(() => World.BookAsync(World.Citizen(3), WithProcedure(Request(station), "BCA-L3-02")));
        var third = await Assert.ThrowsAsync<RpcException>(() => World.BookAsync(World.Citizen(4), WithProcedure(Request(station), "BCA-L3-03")));

        Assert.Equal((StatusCode.ResourceExhausted, StatusCode.ResourceExhausted), (first.StatusCode, second.StatusCode));
        Assert.All(new[] { first, second }, e => Assert.Equal($"station_sessions/{full}",
            Assert.Single(e.GetRpcStatus()!.GetDetail<QuotaFailure>()!.Violations).Subject));
        Assert.Equal([(station, SessionPart.Afternoon)], Offered(first));
        Assert.Equal([(onlySecond, SessionPart.Morning), (station, SessionPart.Afternoon)], Offered(second));
        Assert.Equal((StatusCode.FailedPrecondition, BookingErrors.StationNotTaking), (third.StatusCode, third.GetErrorInfo()!.Reason));
        Assert.Equal((1, 1), await World.PlacesAsync(full));
        Assert.Equal((0, 0), await World.PlacesAsync(afternoon));

        static (string, SessionPart)[] Offered(RpcException e)
            => [.. e.GetRpcStatus()!.GetDetail<OpenSessions>()!.Slots.Select(s => (s.StationId, s.Part))];
    }

    [Fact]
    public async Task Reschedule_TakesTheNewPlaceAndFreesTheOld_AndARetryChangesNothingMore()
    {
        var station = await World.StationAsync();
        var morning = await World.SessionAsync(station, 2);
        var afternoon = await World.SessionAsync(station, 2, part: SessionPart.Afternoon);
        var caller = World.Citizen(1);
        var held = await World.BookAsync(caller, Request(station));
        var move = new RescheduleAppointmentRequest
        {
            RequestId = Guid.NewGuid().ToString(), AppointmentId = held.AppointmentId, StationId = station,
            Date = held.Slot.Date, Part = SessionPart.Afternoon,
        };

        var moved = (await World.Appointments.RescheduleAppointmentAsync(move, SubmissionServer.As(caller))).Appointment;
        var again = (await World.Appointments.RescheduleAppointmentAsync(move, SubmissionServer.As(caller))).Appointment;

        Assert.Equal((held.AppointmentId, SessionPart.Afternoon, AppointmentStatus.Held), (moved.AppointmentId, moved.Slot.Part, moved.Status));
        Assert.Equal(moved, again);
        Assert.Equal((0, 0), await World.PlacesAsync(morning));
        Assert.Equal((1, 1), await World.PlacesAsync(afternoon));
        Assert.Equal(1, await World.Server.WithDbAsync(db => db.Set<AppointmentChangeRecord>().CountAsync(c => c.Kind == AppointmentChangeKinds.Reschedule)));
    }

    [Fact]
    public async Task Reschedule_IntoAFullSession_ChangesNothing()
    {
        var station = await World.StationAsync();
        var morning = await World.SessionAsync(station, 2);
        var afternoon = await World.SessionAsync(station, 1, part: SessionPart.Afternoon, booked: 1);
        var caller = World.Citizen(1);
        var held = await World.BookAsync(caller, Request(station));

        var refused = await Assert.ThrowsAsync<RpcException>(() => World.Appointments.RescheduleAppointmentAsync(new RescheduleAppointmentRequest
        {
            RequestId = Guid.NewGuid().ToString(), AppointmentId = held.AppointmentId, StationId = station, Date = held.Slot.Date, Part = SessionPart.Afternoon,
        }, SubmissionServer.As(caller)).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Equal((1, 1), await World.PlacesAsync(morning));
        Assert.Equal(1, (await World.PlacesAsync(afternoon)).Booked);
    }

    [Fact]
    public async Task Cancel_FreesThePlace_IsIdempotent_AndTheCitizenMayBookAgain()
    {
        var station = await World.StationAsync();
        var session = await World.SessionAsync(station, 1);
        var caller = World.Citizen(1);
        var held = await World.BookAsync(caller, Request(station));
        var cancel = new CancelAppointmentRequest { RequestId = Guid.NewGuid().ToString(), AppointmentId = held.AppointmentId };

        var cancelled = (await World.Appointments.CancelAppointmentAsync(cancel, SubmissionServer.As(caller))).Appointment;
        var retried = (await World.Appointments.CancelAppointmentAsync(cancel, SubmissionServer.As(caller))).Appointment;
        Assert.Equal((0, 0), await World.PlacesAsync(session));
        var rebooked = await World.BookAsync(caller, Request(station));

        Assert.Equal((AppointmentStatus.Cancelled, AppointmentStatus.Cancelled), (cancelled.Status, retried.Status));
        Assert.Equal(AppointmentStatus.Held, rebooked.Status);
        Assert.Equal((1, 1), await World.PlacesAsync(session));
    }

    [Fact]
    public async Task Book_FullSession_AfterAPlaceNearbyWasFreed_OffersIt_ThoughTheAreaWasFoundFullAMomentAgo()
    {
        var station = await World.StationAsync();
        await World.SessionAsync(station, 1, booked: 1);
        await World.SessionAsync(station, 1, booked: 1, date: Day.AddDays(1));
        await World.SessionAsync(station, 1, date: Day.AddDays(1), part: SessionPart.Afternoon);
        var holder = World.Citizen(1);
        var asker = World.Citizen(2);
        var held = await World.BookAsync(holder, Request(station, Day.AddDays(1), SessionPart.Afternoon));
        var nothingOpen = await Assert.ThrowsAsync<RpcException>(() => World.BookAsync(asker, Request(station)));

        await World.Appointments.CancelAppointmentAsync(
            new CancelAppointmentRequest { RequestId = Guid.NewGuid().ToString(), AppointmentId = held.AppointmentId }, SubmissionServer.As(holder));
        var afterFreed = await Assert.ThrowsAsync<RpcException>(() => World.BookAsync(asker, Request(station, Day.AddDays(1))));

        Assert.Empty(nothingOpen.GetRpcStatus()!.GetDetail<OpenSessions>()!.Slots);
        var offered = Assert.Single(afterFreed.GetRpcStatus()!.GetDetail<OpenSessions>()!.Slots);
        Assert.Equal((SessionPart.Afternoon, 1), (offered.Part, offered.Remaining));
    }

    [Fact]
    public async Task ARequestIdUsedForOneChange_IsRefusedForAnother_NotAnsweredWithTheFirstChange()
    {
        var station = await World.StationAsync();
        await World.SessionAsync(station, 2);
        await World.SessionAsync(station, 2, part: SessionPart.Afternoon);
        var caller = World.Citizen(1);
        var first = await World.BookAsync(caller, Request(station));
        var second = await World.BookAsync(caller, new BookAppointmentRequest(Request(station)) { ProcedureCode = "BCA-L3-02" });
        var requestId = Guid.NewGuid().ToString();
        await World.Appointments.RescheduleAppointmentAsync(new RescheduleAppointmentRequest
        {
            RequestId = requestId, AppointmentId = first.AppointmentId, StationId = station, Date = first.Slot.Date, Part = SessionPart.Afternoon,
        }, SubmissionServer.As(caller));

        var otherAppointment = await Assert.ThrowsAsync<RpcException>(() => World.Appointments.CancelAppointmentAsync(
            new CancelAppointmentRequest { RequestId = requestId, AppointmentId = second.AppointmentId }, SubmissionServer.As(caller)).ResponseAsync);
        var otherChange = await Assert.ThrowsAsync<RpcException>(() => World.Appointments.CancelAppointmentAsync(
            new CancelAppointmentRequest { RequestId = requestId, AppointmentId = first.AppointmentId }, SubmissionServer.As(caller)).ResponseAsync);

        foreach (var refused in new[] { otherAppointment, otherChange })
        {
            Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
            var violation = Assert.Single(refused.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations);
            Assert.Equal(("request_id", BookingErrors.RequestIdReused), (violation.Field, violation.Reason));
        }

        var mine = await World.Appointments.ListMyAppointmentsAsync(new ListMyAppointmentsRequest(), SubmissionServer.As(caller));
        Assert.All(mine.Appointments, a => Assert.Equal(AppointmentStatus.Held, a.Status));
    }

    [Fact]
    public async Task HoldExpiry_ExpiredHoldsReturnToThePool_ASecondRunChangesNothing_AndTheyCannotBeConfirmed()
    {
        var station = await World.StationAsync();
        var session = await World.SessionAsync(station, 3);
        var early = await World.BookAsync(World.Citizen(1), Request(station));
        World.Server.Clock.Advance(TimeSpan.FromMinutes(5));
        var later = await World.BookAsync(World.Citizen(2), Request(station));
        World.Server.Clock.Advance(TimeSpan.FromMinutes(6));

        var expired = await Job().RunAsync(CancellationToken.None);
        var again = await Job().RunAsync(CancellationToken.None);

        Assert.Equal((1, 0), (expired, again));
        Assert.Equal((1, 1), await World.PlacesAsync(session));
        var row = await World.RowAsync(early.AppointmentId);
        Assert.Equal((AppointmentStatuses.Expired, null, null), (row.Status, row.ActiveProcedure, row.HoldExpiresAt));
        Assert.Equal(AppointmentStatuses.Held, (await World.RowAsync(later.AppointmentId)).Status);
        var places = World.Service<IServiceScopeFactory>();
        await using var scope = places.CreateAsyncScope();
        var confirm = scope.ServiceProvider.GetRequiredService<GrpcDvc.Server.Dossiers.Submission.ISubmissionAppointments>();
        var refused = await Assert.ThrowsAsync<RpcException>(() => confirm.PlaceAsync(Guid.Parse(early.AppointmentId), row.AccountId, Procedure, World.Server.Clock.GetUtcNow(), CancellationToken.None));
        Assert.Equal(BookingErrors.NotHeld, refused.GetErrorInfo()!.Reason);
    }

    [Fact]
    public async Task Submit_LevelThreeWithItsHold_ConfirmsItAndGoesToTheStationsUnit_WithoutAHold_IsAppointmentRequired()
    {
        var station = await World.StationAsync();
        var session = await World.SessionAsync(station, 2);
        var applicant = await World.Server.CitizenAsync("lan", "Nguyễn Thị Lan");
        var held = await World.BookAsync("lan", Request(station));
        var request = SubmissionServer.TemporaryResidence(applicant);
        SubmissionServer.UseProcedure(request, Procedure, applicant);
        request.CommuneCode = "";
        request.Delivery = new ResultDelivery { Method = DeliveryMethod.InPerson };

        var missing = await Assert.ThrowsAsync<RpcException>(() => World.Server.SubmitAsync("lan", request.Clone()));
        request.AppointmentId = held.AppointmentId;
        var dossier = (await World.Server.SubmitAsync("lan", request)).Dossier;

        Assert.Equal("APPOINTMENT_REQUIRED", Assert.Single(missing.GetBadRequest()!.FieldViolations, v => v.Field == "appointment_id").Reason);
        Assert.Equal((station, "T-P01-H01"), (dossier.StationId, dossier.UnitCode));
        var row = await World.RowAsync(held.AppointmentId);
        Assert.Equal((AppointmentStatuses.Confirmed, dossier.Code, null), (row.Status, row.DossierCode, row.HoldExpiresAt));
        Assert.Equal((1, 1), await World.PlacesAsync(session));
        World.Server.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await Job().RunAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Rebook_AnAppointmentTheStationEnded_ConfirmsItAgainForTheSameDossier_AtAStationOfTheSameUnit()
    {
        var station = await World.StationAsync();
        var other = await World.StationAsync();
        var first = await World.SessionAsync(station, 2);
        var later = await World.SessionAsync(other, 2, BookingWorld.Day.AddDays(1));
        var applicant = await World.Server.CitizenAsync("minh", "Trần Văn Minh");
        var held = await World.BookAsync("minh", Request(station));
        var request = SubmissionServer.TemporaryResidence(applicant);
        SubmissionServer.UseProcedure(request, Procedure, applicant);
        (request.CommuneCode, request.Delivery, request.AppointmentId) = ("", new ResultDelivery { Method = DeliveryMethod.InPerson }, held.AppointmentId);
        var dossier = (await World.Server.SubmitAsync("minh", request)).Dossier;
        // The station closed the session: the appointment ended, its place freed (as StationMoveOut does).
        await World.Server.WithDbAsync(async db =>
        {
            var id = Guid.Parse(held.AppointmentId);
            await db.Set<AppointmentRecord>().Where(a => a.Id == id).ExecuteUpdateAsync(u => u
                .SetProperty(a => a.Status, AppointmentStatuses.CancelledByStation).SetProperty(a => a.ActiveProcedure, (string?)null)
                .SetProperty(a => a.Offered, $"[{later}]").SetProperty(a => a.Version, a => a.Version + 1));
            return await db.Set<StationSessionRecord>().Where(x => x.Id == first).ExecuteUpdateAsync(u => u.SetProperty(x => x.Booked, 0).SetProperty(x => x.Closed, true));
        });
        var rebook = new RescheduleAppointmentRequest
        {
            RequestId = Guid.NewGuid().ToString(), AppointmentId = held.AppointmentId, StationId = other,
            Date = new() { Year = BookingWorld.Day.AddDays(1).Year, Month = BookingWorld.Day.AddDays(1).Month, Day = BookingWorld.Day.AddDays(1).Day },
            Part = SessionPart.Morning,
        };

        var movedOut = (await World.Appointments.GetAppointmentAsync(new GetAppointmentRequest { AppointmentId = held.AppointmentId }, SubmissionServer.As("minh"))).Appointment;
        var rebooked = (await World.Appointments.RescheduleAppointmentAsync(rebook, SubmissionServer.As("minh"))).Appointment;
        var retried = (await World.Appointments.RescheduleAppointmentAsync(rebook, SubmissionServer.As("minh"))).Appointment;

        Assert.Equal(AppointmentStatus.CancelledByStation, movedOut.Status);
        Assert.Equal((other, 2), (Assert.Single(movedOut.Offered).StationId, movedOut.Offered[0].Remaining));
        Assert.Equal((AppointmentStatus.Confirmed, dossier.Code, other), (rebooked.Status, rebooked.DossierCode, rebooked.Slot.StationId));
        Assert.Empty(rebooked.Offered);
        Assert.Equal(rebooked, retried);
        Assert.Equal((1, 1), await World.PlacesAsync(later));
        var row = await World.RowAsync(held.AppointmentId);
        Assert.Equal((Procedure, (DateTimeOffset?)null), (row.ActiveProcedure, row.EndedAt));
        var dossierStation = await World.Server.WithDbAsync(db => db.Set<DossierRecord>().Where(d => d.Code == dossier.Code).Select(d => d.StationId).SingleAsync());
        Assert.Equal(other, dossierStation);
    }

    [Fact]
    public async Task Withdraw_ADossierWithItsConfirmedAppointment_CancelsTheAppointmentAndFreesThePlace_InTheSameChange()
    {
        var station = await World.StationAsync();
        var session = await World.SessionAsync(station, 2);
        var applicant = await World.Server.CitizenAsync("hoa", "Lê Thị Hoa");
        var held = await World.BookAsync("hoa", Request(station));
        var request = SubmissionServer.TemporaryResidence(applicant);
        SubmissionServer.UseProcedure(request, Procedure, applicant);
        (request.CommuneCode, request.Delivery, request.AppointmentId) = ("", new ResultDelivery { Method = DeliveryMethod.InPerson }, held.AppointmentId);
        var dossier = (await World.Server.SubmitAsync("hoa", request)).Dossier;
        Assert.Equal((1, 1), await World.PlacesAsync(session));

        var withdrawn = await World.Server.Dossiers.WithdrawDossierAsync(
            new WithdrawDossierRequest { RequestId = Guid.NewGuid().ToString(), Code = dossier.Code, Reason = "Nộp nhầm" }, SubmissionServer.As("hoa"));

        Assert.Equal(Contracts.Dossiers.V1.DossierStatus.Withdrawn, withdrawn.Dossier.Status);
        var row = await World.RowAsync(held.AppointmentId);
        Assert.Equal((AppointmentStatuses.Cancelled, (string?)null), (row.Status, row.ActiveProcedure));
        Assert.Equal((0, 0), await World.PlacesAsync(session));
        // The place is the pool's again: another citizen takes it.
        World.Citizen(77);
        Assert.Equal(AppointmentStatus.Held, (await World.BookAsync("citizen-77", Request(station))).Status);
        // The dossier no longer waits for its collection: its cancelled appointment cannot be rebooked.
        await World.SessionAsync(station, 2, BookingWorld.Day.AddDays(1));
        var next = BookingWorld.Day.AddDays(1);
        var rebook = await Assert.ThrowsAsync<RpcException>(() => World.Appointments.RescheduleAppointmentAsync(new RescheduleAppointmentRequest
        {
            RequestId = Guid.NewGuid().ToString(), AppointmentId = held.AppointmentId, StationId = station,
            Date = new() { Year = next.Year, Month = next.Month, Day = next.Day }, Part = SessionPart.Morning,
        }, SubmissionServer.As("hoa")).ResponseAsync);
        Assert.Equal((StatusCode.FailedPrecondition, BookingErrors.DossierNotWaiting), (rebook.StatusCode, rebook.GetErrorInfo()!.Reason));
    }

    [Fact]
    public async Task FindOpenSlots_ByStationOrArea_OffersOnlyOpenSessionsWithPlacesLeft_EarliestFirst()
    {
        var station = await World.StationAsync();
        await World.SessionAsync(station, 3, date: Day.AddDays(1));
        await World.SessionAsync(station, 2, part: SessionPart.Afternoon);
        await World.SessionAsync(station, 1, booked: 1);
        await World.SessionAsync(station, 5, date: Day.AddDays(2), closed: true);
        await World.SessionAsync(station, 5, date: Day.AddDays(3), opensAt: Now.AddHours(1));
        var caller = World.Citizen(1);
        var procedure = new FindOpenSlotsRequest { ProcedureCode = Procedure };

        var atStation = await World.Appointments.FindOpenSlotsAsync(new FindOpenSlotsRequest(procedure) { StationId = station }, SubmissionServer.As(caller));
        var inProvince = await World.Appointments.FindOpenSlotsAsync(new FindOpenSlotsRequest(procedure) { AreaCode = "T-P01" }, SubmissionServer.As(caller));
        var elsewhere = await World.Appointments.FindOpenSlotsAsync(new FindOpenSlotsRequest(procedure) { AreaCode = "T-P02" }, SubmissionServer.As(caller));

        Assert.Equal([(Day, SessionPart.Afternoon, 2), (Day.AddDays(1), SessionPart.Morning, 3)],
            atStation.Slots.Select(s => (new DateOnly(s.Date.Year, s.Date.Month, s.Date.Day), s.Part, s.Remaining)));
        Assert.Equal(atStation.Slots, inProvince.Slots);
        Assert.Empty(elsewhere.Slots);
    }

    [Fact]
    public async Task GetAndList_ACitizenSeesOwnAppointmentsOnly_PagedNewestFirst()
    {
        var station = await World.StationAsync();
        await World.SessionAsync(station, 5);
        var owner = World.Citizen(1);
        var first = await World.BookAsync(owner, Request(station));
        World.Server.Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await World.BookAsync(owner, new BookAppointmentRequest(Request(station)) { ProcedureCode = "BCA-L3-02" });

        var page1 = await World.Appointments.ListMyAppointmentsAsync(new ListMyAppointmentsRequest { Page = new() { PageSize = 1 } }, SubmissionServer.As(owner));
        var page2 = await World.Appointments.ListMyAppointmentsAsync(
            new ListMyAppointmentsRequest { Page = new() { PageSize = 1, PageToken = page1.Page.NextPageToken } }, SubmissionServer.As(owner));
        var other = await Assert.ThrowsAsync<RpcException>(() => World.Appointments.GetAppointmentAsync(
            new GetAppointmentRequest { AppointmentId = first.AppointmentId }, SubmissionServer.As(World.Citizen(2))).ResponseAsync);
        var own = await World.Appointments.GetAppointmentAsync(new GetAppointmentRequest { AppointmentId = first.AppointmentId }, SubmissionServer.As(owner));

        Assert.Equal([second.AppointmentId, first.AppointmentId], page1.Appointments.Concat(page2.Appointments).Select(a => a.AppointmentId));
        Assert.Equal((2, ""), (page1.Page.TotalSize, page2.Page.NextPageToken));
        Assert.Equal(StatusCode.NotFound, other.StatusCode);
        // As it stands now: the session has since taken the second booking's place too.
        Assert.Equal((first.AppointmentId, first.BookedAt, 2), (own.Appointment.AppointmentId, own.Appointment.BookedAt, own.Appointment.Slot.Booked));
    }

    [Fact]
    public async Task ListMine_APageTokenEditedToAnInstantPastTheYear9999_IsInvalidArgument_NotAnError()
    {
        // The token's position is readable and editable (only its filter is hashed): a citizen may send any number there.
        var station = await World.StationAsync();
        await World.SessionAsync(station, 5);
        var owner = World.Citizen(1);
        await World.BookAsync(owner, Request(station));
        World.Server.Clock.Advance(TimeSpan.FromSeconds(1));
        await World.BookAsync(owner, new BookAppointmentRequest(Request(station)) { ProcedureCode = "BCA-L3-02" });
        var page1 = await World.Appointments.ListMyAppointmentsAsync(new ListMyAppointmentsRequest { Page = new() { PageSize = 1 } }, SubmissionServer.As(owner));
        var text = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(page1.Page.NextPageToken));
        var (hash, position) = (text[..text.IndexOf(':', StringComparison.Ordinal)], text[(text.IndexOf(':', StringComparison.Ordinal) + 1)..]);
        var forged = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes($"{hash}:99999999999999999{position[position.IndexOf('_', StringComparison.Ordinal)..]}"));

        var refused = await Assert.ThrowsAsync<RpcException>(() => World.Appointments.ListMyAppointmentsAsync(
            new ListMyAppointmentsRequest { Page = new() { PageSize = 1, PageToken = forged } }, SubmissionServer.As(owner)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal("page.page_token", Assert.Single(refused.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations).Field);
    }

    private HoldExpiryJob Job() => new(World.Service<IServiceScopeFactory>(), new BookingOptions { ExpiryBatchSize = 1 },
        World.Service<BookingGate>(), World.Server.Clock, NullLogger<HoldExpiryJob>.Instance);
}

public sealed class BookingRulesOnSqliteTests : BookingRuleTests
{
    protected override Task<string?> PostgresAsync() => Task.FromResult<string?>(null);
}

[Collection(PostgresCollection.Name)]
public sealed class BookingRulesOnPostgresTests(PostgresCluster cluster) : BookingRuleTests
{
    protected override async Task<string?> PostgresAsync() => await cluster.CreateDatabaseAsync();
}
