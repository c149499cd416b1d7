using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Contracts.Common.V1;
using GrpcDvc.Contracts.Dossiers.V1;
using GrpcDvc.Contracts.Population.V1;
using GrpcDvc.Tests.Dossiers.Submission;
using GrpcDvc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Appointments;

/// <summary>
/// A level-3 identity card end to end through the real server and gate, once per provider, on a clock
/// the test moves: a station manager opens a station with a weekly template; the demo citizen signs in
/// VNeID-style, finds an open session, holds a place, submits the dossier with it (the hold is
/// confirmed) and gets the slip; on the day an intake officer scans the slip's QR code at the station,
/// checks the citizen in and marks the biometrics collected (the dossier is received); the unit takes
/// it to its returned result; the history is intact and the station's utilization counts the collection.
/// </summary>
public abstract class LevelThreeJourneyTests
{
    private const string Procedure = "BCA-L3-01";
    private const string StationId = "HN-TRAM-E2E";
    private const string OtherProcedure = "BCA-L3-02";

    protected abstract Task<string?> PostgresAsync();

    [Fact]
    public async Task LevelThreeCard_BookSubmitCheckInCollectProcessReturn_OnePlaceTaken_HistoryIntact()
    {
        var clock = new FakeTimeProvider(SubmissionServer.MondayMorning);
        await using var server = await InProcessServer.StartWithServicesAsync(
            services => services.AddSingleton<TimeProvider>(clock), await PostgresAsync(), "--Dvc:Population:DemoCitizens=2000");
        var stations = new StationService.StationServiceClient(server.Channel);
        var appointments = new AppointmentService.AppointmentServiceClient(server.Channel);
        var dossiers = new DossierService.DossierServiceClient(server.Channel);
        var citizen = await SubmitOverGrpcTests.SignInAsync(server);
        var me = (await new PopulationService.PopulationServiceClient(server.Channel).GetMyRecordAsync(new GetMyRecordRequest(), citizen)).Citizen;

        // The station manager of Hà Nội's police opens a station in the citizen's commune: two places each weekday morning.
        var manager = Access.TestCallers.Bearer(await Access.TestCallers.OfficialAsync(server, "P34-01", Role.StationManager));
        var station = (await stations.CreateStationAsync(new CreateStationRequest { RequestId = Id(), Station = Station(me.PermanentResidence.CommuneCode) }, manager)).Station;

        // The citizen finds the next open session (Monday's has begun: Tuesday morning), holds it and submits with it.
        var slots = (await appointments.FindOpenSlotsAsync(new FindOpenSlotsRequest { StationId = StationId, ProcedureCode = Procedure }, citizen)).Slots;
        var slot = slots[0];
        var booking = new BookAppointmentRequest { RequestId = Id(), StationId = StationId, Date = slot.Date, Part = slot.Part, ProcedureCode = Procedure };
        var held = (await appointments.BookAppointmentAsync(booking, citizen)).Appointment;
        // A retry from the citizen's real account (its name read with the retry check) finds the same hold.
        var retried = (await appointments.BookAppointmentAsync(booking, citizen)).Appointment;
        // A new request id books anew, even with an appointment of the account already standing.
        var other = (await appointments.BookAppointmentAsync(new BookAppointmentRequest
        {
            RequestId = Id(), StationId = StationId, Date = slots[1].Date, Part = slots[1].Part, ProcedureCode = OtherProcedure,
        }, citizen)).Appointment;
        var submitted = (await dossiers.SubmitDossierAsync(Submission(me, held.AppointmentId), citizen)).Dossier;
        var confirmed = (await appointments.GetAppointmentAsync(new GetAppointmentRequest { AppointmentId = held.AppointmentId }, citizen)).Appointment;
        var slip = await appointments.GetAppointmentSlipAsync(new GetAppointmentSlipRequest { AppointmentId = held.AppointmentId }, citizen);

        Assert.Equal((2026, 12, 8, SessionPart.Morning), (slot.Date.Year, slot.Date.Month, slot.Date.Day, slot.Part));
        Assert.Equal(AppointmentStatus.Held, held.Status);
        Assert.Equal((held.AppointmentId, me.FullName), (retried.AppointmentId, held.FullName));
        Assert.Equal(OtherProcedure, other.ProcedureCode);
        Assert.NotEqual(held.AppointmentId, other.AppointmentId);
        Assert.Equal((DossierStatus.Submitted, StationId, station.UnitCode), (submitted.Status, submitted.StationId, submitted.UnitCode));
        Assert.Equal((AppointmentStatus.Confirmed, submitted.Code), (confirmed.Status, confirmed.DossierCode));
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(slip.Pdf.Span[..4]), StringComparison.Ordinal);

        // On the day, at the station's door.
        clock.Advance(TimeSpan.FromHours(22) + TimeSpan.FromMinutes(40));
        var officer = Access.TestCallers.Bearer(await Access.TestCallers.OfficialAsync(
            server, station.UnitCode, Role.IntakeOfficer, Role.ProcessingOfficer, Role.ApprovingLeader));
        var checkedIn = (await appointments.CheckInAsync(new CheckInRequest { RequestId = Id(), StationId = StationId, QrPayload = slip.QrPayload }, officer)).Appointment;
        var collected = (await appointments.MarkCollectedAsync(new MarkCollectedRequest { RequestId = Id(), AppointmentId = held.AppointmentId }, officer)).Appointment;
        var received = (await dossiers.GetDossierAsync(new GetDossierRequest { Code = submitted.Code }, officer)).Dossier;

        Assert.Equal(AppointmentStatus.CheckedIn, checkedIn.Status);
        Assert.Equal(AppointmentStatus.Collected, collected.Status);
        Assert.Equal((DossierStatus.Received, "CC02"), (received.Status, received.Receipt.FormCode));

        // The unit processes it to the returned result.
        var code = submitted.Code;
        var v = (await dossiers.StartProcessingAsync(new StartProcessingRequest { RequestId = Id(), Code = code, ExpectedVersion = received.Version }, officer)).Dossier.Version;
        v = (await dossiers.ApproveDossierAsync(new ApproveDossierRequest { RequestId = Id(), Code = code, ExpectedVersion = v, Note = "Đồng ý" }, officer)).Dossier.Version;
        v = (await dossiers.IssueResultAsync(new IssueResultRequest { RequestId = Id(), Code = code, ExpectedVersion = v, DocumentNumber = "CC-2026-000123", Summary = "Đã cấp thẻ căn cước" }, officer)).Dossier.Version;
        var returned = (await dossiers.ReturnResultAsync(new ReturnResultRequest { RequestId = Id(), Code = code, ExpectedVersion = v }, officer)).Dossier;

        Assert.Equal(DossierStatus.ResultReturned, returned.Status);
        var auditor = Access.TestCallers.Bearer(await Access.TestCallers.OfficialAsync(server, station.UnitCode, Role.Auditor));
        var history = (await dossiers.GetDossierHistoryAsync(new GetDossierHistoryRequest { Code = code }, auditor)).Events;
        Assert.Equal(
            [DossierAction.Submit, DossierAction.Receive, DossierAction.StartProcessing, DossierAction.Approve, DossierAction.IssueResult, DossierAction.ReturnResult],
            history.Select(e => e.Action));
        Assert.True((await dossiers.VerifyDossierHistoryAsync(new VerifyDossierHistoryRequest { Code = code }, auditor)).Intact);
        // Access tokens live minutes: the manager signs in again on the day.
        manager = Access.TestCallers.Bearer(await Access.TestCallers.OfficialAsync(server, "P34-01", Role.StationManager));
        var use = await stations.GetStationUtilizationAsync(new GetStationUtilizationRequest { StationId = StationId, FromDate = slot.Date, ToDate = slot.Date }, manager);
        Assert.Equal((2, 1, 1), (use.Total.Capacity, use.Total.Booked, use.Total.Collected));
    }

    private static Station Station(string communeCode) => new()
    {
        StationId = StationId,
        Name = "Trạm thu nhận căn cước phường (thử nghiệm)",
        Kind = StationKind.Fixed,
        UnitCode = "P34-01",
        CommuneCode = communeCode,
        Address = "Số 1 phố Thử Nghiệm",
        ProcedureCodes = { Procedure, OtherProcedure },
        BookingWindowDays = 7,
        ReleaseTime = "00:00",
        Template = new WeeklyTemplate
        {
            Sessions =
            {
                new[] { Weekday.Monday, Weekday.Tuesday, Weekday.Wednesday, Weekday.Thursday, Weekday.Friday }
                    .Select(day => new TemplateSession { Weekday = day, Part = SessionPart.Morning, StartTime = "07:30", EndTime = "11:30", Capacity = 2 }),
            },
        },
    };

    private static SubmitDossierRequest Submission(Citizen me, string appointmentId)
    {
        var birth = new DateOnly(me.BirthDate.Year, Math.Max(me.BirthDate.Month, 1), Math.Max(me.BirthDate.Day, 1));
        return new SubmitDossierRequest
        {
            RequestId = Id(),
            ProcedureCode = Procedure,
            Applicant = new Declaration { IdNumber = me.IdNumber, FullName = me.FullName, BirthDate = me.BirthDate, Gender = me.Gender },
            Form = { SubmissionServer.FormFor(Procedure, me.FullName, birth, me.Gender == Gender.Female, me.IdNumber) },
            Delivery = new ResultDelivery { Method = DeliveryMethod.InPerson },
            AppointmentId = appointmentId,
        };
    }

    private static string Id() => Guid.NewGuid().ToString("D");
}

public sealed class LevelThreeJourneyOnSqliteTests : LevelThreeJourneyTests
{
    protected override Task<string?> PostgresAsync() => Task.FromResult<string?>(null);
}

[Collection(PostgresCollection.Name)]
public sealed class LevelThreeJourneyOnPostgresTests(PostgresCluster cluster) : LevelThreeJourneyTests
{
    protected override async Task<string?> PostgresAsync() => await cluster.CreateDatabaseAsync();
}
