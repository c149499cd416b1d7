using Google.Rpc;
using Grpc.Core;
using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Server.Appointments;
using GrpcDvc.Server.Appointments.Door;
using GrpcDvc.Server.Dossiers;
using GrpcDvc.Server.Dossiers.History;
using GrpcDvc.Server.Population.DataAccessLog;
using GrpcDvc.Server.Population.Registry;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Domain = GrpcDvc.Server.Dossiers;

namespace GrpcDvc.Tests.Appointments.Door;

/// <summary>The door's rpcs (list, check-in, collection) through the real server on a real database; run once per provider.</summary>
public abstract class StationDoorTests : IAsyncLifetime
{
    private InProcessServer _server = null!;

    private DoorWorld World { get; set; } = null!;

    private AppointmentService.AppointmentServiceClient Appointments => World.Client;

    public async Task InitializeAsync()
    {
        _server = await StartServerAsync();
        World = new DoorWorld(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    protected abstract Task<InProcessServer> StartServerAsync();

    private static string NewId() => Guid.NewGuid().ToString("D");

    private async Task<(SeededAppointment Seeded, CallOptions Intake)> ConfirmedTodayAsync()
    {
        var unit = await World.Processing.CommuneAsync();
        var station = await World.StationAsync(unit);
        var session = await World.SessionAsync(station, DoorWorld.Today);
        return (await World.AppointmentAsync(session, station, unit), await World.IntakeAsync(unit.Code));
    }

    [Fact]
    public async Task CheckIn_ByDossierCode_OnTheDayAtItsStation_IsCheckedIn_AndARetryAnswersTheSameWritingNothing()
    {
        var (seeded, intake) = await ConfirmedTodayAsync();
        var request = new CheckInRequest { RequestId = NewId(), StationId = seeded.Station.Id, DossierCode = seeded.Dossier!.Code };

        var first = await Appointments.CheckInAsync(request, intake);
        var retry = await Appointments.CheckInAsync(request, intake);

        Assert.Equal((AppointmentStatus.CheckedIn, "Đã đến"), (first.Appointment.Status, first.Appointment.StatusName));
        Assert.Equal(first.Appointment, retry.Appointment);
        var stored = await World.ReadAsync(seeded.Appointment.Id);
        Assert.Equal((AppointmentStatuses.CheckedIn, 2L, DoorWorld.Procedure), (stored.Status, stored.Version, stored.ActiveProcedure));
        Assert.Single(await World.ChangesAsync(seeded.Appointment.Id), c => c.Kind == AppointmentChangeKinds.CheckIn && c.RequestId == request.RequestId);
    }

    [Fact]
    public async Task TheDoorsAnswers_ShowingWhoseAppointmentItIs_AreInTheAccessLog_AsCardIssuance()
    {
        var (seeded, intake) = await ConfirmedTodayAsync();
        var today = new Contracts.Common.V1.Date { Year = DoorWorld.Today.Year, Month = DoorWorld.Today.Month, Day = DoorWorld.Today.Day };

        await Appointments.ListStationAppointmentsAsync(new ListStationAppointmentsRequest { StationId = seeded.Station.Id, Date = today }, intake);
        await Appointments.CheckInAsync(new CheckInRequest { RequestId = NewId(), StationId = seeded.Station.Id, DossierCode = seeded.Dossier!.Code }, intake);
        await Appointments.GetAppointmentAsync(new GetAppointmentRequest { AppointmentId = seeded.Appointment.Id.ToString("D") }, intake);

        List<DataAccessRecord> entries = [];
        await World.Processing.WithDbAsync(async db => entries = await db.Set<DataAccessRecord>().AsNoTracking()
            .Where(a => a.SubjectIdNumber == seeded.Account.IdNumber).OrderBy(a => a.Id).ToListAsync());
        Assert.Equal(
            [
                "/dvc.appointments.v1.AppointmentService/ListStationAppointments", "/dvc.appointments.v1.AppointmentService/CheckIn",
                "/dvc.appointments.v1.AppointmentService/GetAppointment",
            ],
            entries.Select(e => e.Rpc));
        Assert.All(entries, e => Assert.Equal(((int)ReadPurpose.CardIssuance, seeded.Dossier.Code, "Phạm Thị Cán Bộ"), (e.Purpose, e.Reference, e.AccessorName)));
    }

    [Fact]
    public async Task CheckIn_ByTheSlipsQrPayload_FindsTheAppointment()
    {
        var (seeded, intake) = await ConfirmedTodayAsync();
        var payload = _server.Services.GetRequiredService<SlipSignature>().Sign(seeded.Appointment.Id);

        var response = await Appointments.CheckInAsync(new CheckInRequest { RequestId = NewId(), StationId = seeded.Station.Id, QrPayload = payload }, intake);

        Assert.Equal((seeded.Appointment.Id.ToString("D"), AppointmentStatus.CheckedIn), (response.Appointment.AppointmentId, response.Appointment.Status));
    }

    [Fact]
    public async Task CheckIn_AlteredQrPayload_IsRefused_AndNothingChanges()
    {
        var (seeded, intake) = await ConfirmedTodayAsync();
        var (other, _) = await ConfirmedTodayAsync();
        var signature = _server.Services.GetRequiredService<SlipSignature>();
        // Another appointment's id under this one's seal: a slip edited to point elsewhere.
        var parts = signature.Sign(seeded.Appointment.Id).Split('.');
        var forged = $"{parts[0]}.{other.Appointment.Id:N}.{parts[2]}";

        var refused = await Assert.ThrowsAsync<RpcException>(() => Appointments.CheckInAsync(
            new CheckInRequest { RequestId = NewId(), StationId = other.Station.Id, QrPayload = forged }, intake).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal(DoorReasons.QrInvalid, Assert.Single(refused.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations).Reason);
        Assert.Equal(AppointmentStatuses.Confirmed, (await World.ReadAsync(other.Appointment.Id)).Status);
    }

    [Fact]
    public async Task CheckIn_AtAnotherStationOnAnotherDay_IsFailedPrecondition_WithBothReasons()
    {
        var unit = await World.Processing.CommuneAsync();
        var booked = await World.StationAsync(unit);
        var here = await World.StationAsync(unit, "Trạm lưu động phường Tràng Tiền");
        var tomorrow = await World.SessionAsync(booked, DoorWorld.Today.AddDays(1));
        var seeded = await World.AppointmentAsync(tomorrow, booked, unit);
        var intake = await World.IntakeAsync(unit.Code);

        var refused = await Assert.ThrowsAsync<RpcException>(() => Appointments.CheckInAsync(
            new CheckInRequest { RequestId = NewId(), StationId = here.Id, DossierCode = seeded.Dossier!.Code }, intake).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        var types = refused.GetRpcStatus()!.GetDetail<PreconditionFailure>().Violations.Select(v => v.Type).ToList();
        Assert.Equal([DoorReasons.WrongStation, DoorReasons.WrongDay], types);
        Assert.Equal(AppointmentStatuses.Confirmed, (await World.ReadAsync(seeded.Appointment.Id)).Status);
    }

    [Fact]
    public async Task CheckIn_UnknownDossierCode_IsNotFound_AndAnUnknownStationToo()
    {
        var (seeded, intake) = await ConfirmedTodayAsync();

        var unknownDossier = await Assert.ThrowsAsync<RpcException>(() => Appointments.CheckInAsync(
            new CheckInRequest { RequestId = NewId(), StationId = seeded.Station.Id, DossierCode = "X1-260101-9999" }, intake).ResponseAsync);
        var unknownStation = await Assert.ThrowsAsync<RpcException>(() => Appointments.CheckInAsync(
            new CheckInRequest { RequestId = NewId(), StationId = "TRAM-NONE", DossierCode = seeded.Dossier!.Code }, intake).ResponseAsync);

        Assert.Equal((StatusCode.NotFound, StatusCode.NotFound), (unknownDossier.StatusCode, unknownStation.StatusCode));
    }

    [Fact]
    public async Task CheckIn_CancelledAppointment_IsFailedPrecondition_NotConfirmed()
    {
        var unit = await World.Processing.CommuneAsync();
        var station = await World.StationAsync(unit);
        var session = await World.SessionAsync(station, DoorWorld.Today);
        var seeded = await World.AppointmentAsync(session, station, unit, AppointmentStatuses.Cancelled);
        var intake = await World.IntakeAsync(unit.Code);

        var refused = await Assert.ThrowsAsync<RpcException>(() => Appointments.CheckInAsync(
            new CheckInRequest { RequestId = NewId(), StationId = station.Id, DossierCode = seeded.Dossier!.Code }, intake).ResponseAsync);

        Assert.Equal(DoorReasons.NotConfirmed, Assert.Single(refused.GetRpcStatus()!.GetDetail<PreconditionFailure>().Violations).Type);
    }

    [Fact]
    public async Task MarkCollected_ReceivesTheDossier_OnCC02_WithAChainedReceiveEvent_AndEndsTheAppointment()
    {
        var (seeded, intake) = await ConfirmedTodayAsync();
        await Appointments.CheckInAsync(new CheckInRequest { RequestId = NewId(), StationId = seeded.Station.Id, DossierCode = seeded.Dossier!.Code }, intake);
        var request = new MarkCollectedRequest { RequestId = NewId(), AppointmentId = seeded.Appointment.Id.ToString("D") };

        var collected = await Appointments.MarkCollectedAsync(request, intake);
        var retry = await Appointments.MarkCollectedAsync(request, intake);

        Assert.Equal((AppointmentStatus.Collected, "Đã thu nhận"), (collected.Appointment.Status, collected.Appointment.StatusName));
        Assert.Equal(collected.Appointment, retry.Appointment);
        var stored = await World.ReadAsync(seeded.Appointment.Id);
        Assert.Null(stored.ActiveProcedure);
        Assert.NotNull(stored.CollectedAt);
        var dossier = await World.Processing.ReadDossierAsync(seeded.Dossier.Code);
        Assert.Equal(DossierStatuses.Code(Domain.DossierStatus.Received), dossier.Status);
        Assert.Equal("CC02", DossierDetails.FromJson(dossier.Details).Receipt!.FormCode);
        var events = await World.Processing.EventsAsync(dossier.Id);
        Assert.Equal(["submit", "receive"], events.Select(e => e.Action));
        Assert.Equal(request.RequestId, events[1].RequestId);
        Assert.True(HistoryChain.Verify(dossier, events).Intact);
        // Handed on: the unit's processing officer takes it up.
        var processing = await World.Processing.OfficialAsync(seeded.Station.UnitCode, Contracts.Auth.V1.Role.ProcessingOfficer);
        var started = await World.Processing.Client.StartProcessingAsync(
            new Contracts.Dossiers.V1.StartProcessingRequest { RequestId = NewId(), Code = dossier.Code }, processing);
        Assert.Equal(Contracts.Dossiers.V1.DossierStatus.Processing, started.Dossier.Status);
    }

    [Fact]
    public async Task MarkCollected_WhenTheDossierRefusesTheReceipt_KeepsNothing_TheAppointmentStaysCheckedIn()
    {
        var (seeded, intake) = await ConfirmedTodayAsync();
        await Appointments.CheckInAsync(new CheckInRequest { RequestId = NewId(), StationId = seeded.Station.Id, DossierCode = seeded.Dossier!.Code }, intake);
        // The citizen withdrew the dossier meanwhile: the receipt is refused, so the collection must not be kept either.
        await World.Processing.WithDbAsync(async db =>
        {
            var row = await db.Dossiers().FindAsync(seeded.Dossier.Id);
            row!.Status = DossierStatuses.Code(Domain.DossierStatus.Withdrawn);
            await db.SaveChangesAsync();
        });

        var refused = await Assert.ThrowsAsync<RpcException>(() => Appointments.MarkCollectedAsync(
            new MarkCollectedRequest { RequestId = NewId(), AppointmentId = seeded.Appointment.Id.ToString("D") }, intake).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        var stored = await World.ReadAsync(seeded.Appointment.Id);
        Assert.Equal((AppointmentStatuses.CheckedIn, DoorWorld.Procedure), (stored.Status, stored.ActiveProcedure));
        Assert.DoesNotContain(await World.ChangesAsync(seeded.Appointment.Id), c => c.Kind == AppointmentChangeKinds.Collect);
    }

    [Fact]
    public async Task MarkCollected_NotCheckedIn_IsFailedPrecondition()
    {
        var (seeded, intake) = await ConfirmedTodayAsync();

        var refused = await Assert.ThrowsAsync<RpcException>(() => Appointments.MarkCollectedAsync(
            new MarkCollectedRequest { RequestId = NewId(), AppointmentId = seeded.Appointment.Id.ToString("D") }, intake).ResponseAsync);

        Assert.Equal(DoorReasons.NotCheckedIn, Assert.Single(refused.GetRpcStatus()!.GetDetail<PreconditionFailure>().Violations).Type);
    }

    [Fact]
    public async Task ListStationAppointments_OneDay_BySessionInBookingOrder_PagedWithoutHoldsOrCancellations()
    {
        var unit = await World.Processing.CommuneAsync();
        var station = await World.StationAsync(unit);
        var morning = await World.SessionAsync(station, DoorWorld.Today, part: 1);
        var afternoon = await World.SessionAsync(station, DoorWorld.Today, part: 2);
        var otherDay = await World.SessionAsync(station, DoorWorld.Today.AddDays(1), part: 1);
        var t0 = DateTimeOffset.UtcNow.AddDays(-5);
        var expected = new List<Guid>();
        // Booked afternoon first: the list still starts with the morning.
        for (var i = 0; i < 2; i++)
        {
            expected.Add((await World.AppointmentAsync(afternoon, station, unit, bookedAt: t0.AddMinutes(i))).Appointment.Id);
        }

        var morningIds = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            morningIds.Add((await World.AppointmentAsync(morning, station, unit, bookedAt: t0.AddMinutes(10 + i))).Appointment.Id);
        }

        expected.InsertRange(0, morningIds);
        await World.AppointmentAsync(morning, station, unit, AppointmentStatuses.Cancelled, bookedAt: t0);
        await World.AppointmentAsync(morning, station, unit, AppointmentStatuses.Held, withDossier: false, bookedAt: t0);
        await World.AppointmentAsync(otherDay, station, unit, bookedAt: t0);
        var intake = await World.IntakeAsync(unit.Code);

        var seen = new List<Guid>();
        var pages = 0;
        var request = new ListStationAppointmentsRequest
        {
            StationId = station.Id, Date = new Contracts.Common.V1.Date { Year = DoorWorld.Today.Year, Month = DoorWorld.Today.Month, Day = DoorWorld.Today.Day },
            Page = new Contracts.Common.V1.PageRequest { PageSize = 2 },
        };
        while (true)
        {
            var page = await Appointments.ListStationAppointmentsAsync(request, intake);
            pages++;
            Assert.Equal(5, page.Page.TotalSize);
            seen.AddRange(page.Appointments.Select(a => Guid.Parse(a.AppointmentId)));
            if (page.Page.NextPageToken.Length == 0)
            {
                break;
            }

            request.Page.PageToken = page.Page.NextPageToken;
        }

        Assert.Equal(3, pages);
        Assert.Equal(expected, seen);

        request.Part = SessionPart.Afternoon;
        request.Page = new Contracts.Common.V1.PageRequest();
        var afternoonOnly = await Appointments.ListStationAppointmentsAsync(request, intake);
        Assert.Equal(expected[3..], afternoonOnly.Appointments.Select(a => Guid.Parse(a.AppointmentId)));
    }

    [Fact]
    public async Task TheDoor_OfAStationOutsideTheOfficersUnit_IsPermissionDenied()
    {
        var (seeded, _) = await ConfirmedTodayAsync();
        var elsewhere = await World.Processing.CommuneAsync(Dossiers.Processing.ProcessingWorld.HoChiMinh);
        var stranger = await World.IntakeAsync(elsewhere.Code);

        var refused = await Assert.ThrowsAsync<RpcException>(() => Appointments.CheckInAsync(
            new CheckInRequest { RequestId = NewId(), StationId = seeded.Station.Id, DossierCode = seeded.Dossier!.Code }, stranger).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
    }

    [Fact]
    public async Task CheckIn_AtTheOfficersOwnStation_OfAnAppointmentInAnotherUnit_IsPermissionDenied_SayingNothingOfIt()
    {
        // Dossier codes are guessable; an officer elsewhere must not learn where and when a citizen is due.
        var (seeded, _) = await ConfirmedTodayAsync();
        var elsewhere = await World.Processing.CommuneAsync(Dossiers.Processing.ProcessingWorld.HoChiMinh);
        var strangersStation = await World.StationAsync(elsewhere, "Trạm thu nhận phường Bến Nghé");
        var stranger = await World.IntakeAsync(elsewhere.Code);

        var refused = await Assert.ThrowsAsync<RpcException>(() => Appointments.CheckInAsync(
            new CheckInRequest { RequestId = NewId(), StationId = strangersStation.Id, DossierCode = seeded.Dossier!.Code }, stranger).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        var said = refused.Status.Detail + string.Concat(refused.GetRpcStatus()!.Details.Select(d => d.ToString()));
        Assert.DoesNotContain(seeded.Station.Id, said, StringComparison.Ordinal);
        Assert.DoesNotContain(seeded.Appointment.Id.ToString("D"), said, StringComparison.Ordinal);
        Assert.Equal(AppointmentStatuses.Confirmed, (await World.ReadAsync(seeded.Appointment.Id)).Status);
    }
}

public sealed class StationDoorOnSqliteTests : StationDoorTests
{
    protected override Task<InProcessServer> StartServerAsync() => InProcessServer.StartAsync(null, "--Dvc:Population:DemoCitizens=0");
}

[Collection(PostgresCollection.Name)]
public sealed class StationDoorOnPostgresTests(PostgresCluster cluster) : StationDoorTests
{
    protected override async Task<InProcessServer> StartServerAsync()
        => await InProcessServer.StartAsync(await cluster.CreateDatabaseAsync());
}
