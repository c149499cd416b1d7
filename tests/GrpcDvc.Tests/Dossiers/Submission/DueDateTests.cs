using GrpcDvc.Contracts.Dossiers.V1;
using GrpcDvc.Tests.Appointments.Booking;
using GrpcDvc.Tests.Population;
using static GrpcDvc.Tests.Dossiers.Submission.SubmissionServer;

namespace GrpcDvc.Tests.Dossiers.Submission;

/// <summary>
/// When a submitted dossier's clock starts and when it is due, through SubmitDossier on the real server:
/// office sessions by kind of procedure (residence also works Saturday morning, identity cards do not),
/// the stay notification's 23:00 rule, the registry choosing between L4-08's two times, no time no due date.
/// December 2026 has no holiday; 4/12 is a Friday.
/// </summary>
public sealed class DueDateTests : IAsyncLifetime
{
    private SubmissionServer _server = null!;

    public async Task InitializeAsync() => _server = await SubmissionServer.StartAsync(null);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    // Friday evening: residence opens again Saturday morning, identity cards on Monday.
    [InlineData("BCA-L4-03", 4, 18, 0, 5, 7, 30, 9)]
    [InlineData("BCA-L3-01", 4, 18, 0, 7, 7, 30, 16)]
    // Saturday afternoon: both on Monday morning.
    [InlineData("BCA-L4-03", 5, 14, 0, 7, 7, 30, 10)]
    [InlineData("BCA-L3-01", 5, 14, 0, 7, 7, 30, 16)]
    // Saturday morning: residence at once, identity cards on Monday.
    [InlineData("BCA-L4-03", 5, 9, 0, 5, 9, 0, 9)]
    [InlineData("BCA-L3-01", 5, 9, 0, 7, 7, 30, 16)]
    // Monday at lunch: the afternoon session.
    [InlineData("BCA-L4-03", 7, 12, 0, 7, 13, 30, 10)]
    public async Task ClockStart_OutsideOfficeHours_IsTheNextSessionOfTheProcedure_AndTheTimeCountsFromIt(
        string procedure, int day, int hour, int minute, int startDay, int startHour, int startMinute, int dueDay)
    {
        var applicant = await _server.CitizenAsync("lan");
        _server.Clock.SetUtcNow(Vn(2026, 12, day, hour, minute));
        var request = TemporaryResidence(applicant);
        UseProcedure(request, procedure, applicant);
        request.Delivery = new ResultDelivery { Method = DeliveryMethod.InPerson };
        if (procedure.StartsWith("BCA-L3-", StringComparison.Ordinal))
        {
            // Level-3 identity cards are submitted with the citizen's hold at a collection station.
            request.AppointmentId = await BookingWorld.HoldForAsync(_server, "lan", procedure);
        }

        var dossier = (await _server.SubmitAsync("lan", request)).Dossier;

        Assert.Equal(Vn(2026, 12, startDay, startHour, startMinute), dossier.ClockStartedAt.ToDateTimeOffset());
        // Residence 3 working days, identity cards 7, both ending at 17:00.
        Assert.Equal(Vn(2026, 12, dueDay, 17, 0), dossier.DueAt.ToDateTimeOffset());
        Assert.Equal(dueDay, dossier.DueDate.Day);
        Assert.EndsWith($"-2612{day:D2}-0001", dossier.Code, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(22, 59, 7, 22, 59)]
    [InlineData(23, 30, 8, 8, 0)]
    public async Task StayNotification_Before2300IsReceivedAtOnce_AfterIt0800NextDay(int hour, int minute, int day, int startHour, int startMinute)
    {
        var applicant = await _server.CitizenAsync("lan");
        _server.Clock.SetUtcNow(Vn(2026, 12, 7, hour, minute));
        var request = TemporaryResidence(applicant);
        UseProcedure(request, "BCA-L4-10", applicant);

        var dossier = (await _server.SubmitAsync("lan", request)).Dossier;

        var received = Vn(2026, 12, day, startHour, startMinute);
        Assert.Equal((received, received), (dossier.ClockStartedAt.ToDateTimeOffset(), dossier.DueAt.ToDateTimeOffset()));
    }

    [Fact]
    public async Task ResidenceDeclaration_APersonNotInTheRegistry_Takes30DaysInsteadOf5WorkingDays()
    {
        var applicant = await _server.CitizenAsync("lan");
        var inRegistry = TemporaryResidence(applicant);
        UseProcedure(inRegistry, "BCA-L4-08", applicant);
        var withStranger = inRegistry.Clone();
        withStranger.RequestId = Guid.NewGuid().ToString();
        withStranger.People.Add(new PersonConcerned
        {
            Declaration = new Contracts.Population.V1.Declaration
            {
                IdNumber = "001215009999", FullName = "Trần Văn Mới", Gender = Contracts.Population.V1.Gender.Male,
                BirthDate = new Contracts.Population.V1.PartialDate { Year = 2015 },
            },
            Relationship = "con",
        });

        var five = (await _server.SubmitAsync("lan", inRegistry)).Dossier;
        var thirty = (await _server.SubmitAsync("lan", withStranger)).Dossier;

        // Tuesday to Friday, Saturday morning (half a day), Monday morning.
        Assert.Equal(Vn(2026, 12, 14, 11, 30), five.DueAt.ToDateTimeOffset());
        // 7/12 + 30 days is Wednesday 6/1/2027, a working day: its office hours end the period.
        Assert.Equal(Vn(2027, 1, 6, 17, 0), thirty.DueAt.ToDateTimeOffset());
    }

    [Fact]
    public async Task ProcedureWithoutAKnownTime_HasNoDueDate()
    {
        var applicant = await _server.CitizenAsync("lan");
        var request = TemporaryResidence(applicant);
        // Thông báo số định danh cá nhân: no source gives its time (the catalog says unknown).
        UseProcedure(request, "BCA-L4-12", applicant);
        request.CommuneCode = RegistryTestData.CommuneB;

        var dossier = (await _server.SubmitAsync("lan", request)).Dossier;

        Assert.Null(dossier.DueAt);
        Assert.Equal(MondayMorning, dossier.ClockStartedAt.ToDateTimeOffset());
        Assert.Equal(RegistryTestData.CommuneB, dossier.UnitCode);
    }
}
