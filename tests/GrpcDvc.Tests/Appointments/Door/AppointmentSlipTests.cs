using Grpc.Core;
using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Server.Appointments;
using GrpcDvc.Server.Appointments.Door;
using GrpcDvc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using UglyToad.PdfPig;

namespace GrpcDvc.Tests.Appointments.Door;

/// <summary>
/// The CC02 slip: read back with PdfPig (a PDF reader nobody here wrote), so the Vietnamese text must come back
/// through the font's Unicode map letter for letter; and the QR payload's signature. Storage does not matter here:
/// SQLite only.
/// </summary>
public sealed class AppointmentSlipTests : IAsyncLifetime
{
    private InProcessServer _server = null!;

    private DoorWorld World { get; set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await InProcessServer.StartAsync(null, "--Dvc:Population:DemoCitizens=0");
        World = new DoorWorld(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private SlipSignature Signature => _server.Services.GetRequiredService<SlipSignature>();

    private async Task<(SeededAppointment Seeded, Server.Population.Persistence.AdministrativeUnitRow Unit)> ConfirmedAsync(string status = AppointmentStatuses.Confirmed)
    {
        var unit = await World.Processing.CommuneAsync();
        var station = await World.StationAsync(unit, "Trạm thu nhận Công an phường Hàng Bài");
        var session = await World.SessionAsync(station, DoorWorld.Today.AddDays(2), part: 2);
        return (await World.AppointmentAsync(session, station, unit, status, withDossier: status != AppointmentStatuses.Held), unit);
    }

    [Fact]
    public async Task Slip_OfAConfirmedAppointment_IsAPdf_WithStationAddressSessionCodeAndNameInVietnamese_AndAQrImage()
    {
        var (seeded, _) = await ConfirmedAsync();

        var slip = await World.Client.GetAppointmentSlipAsync(
            new GetAppointmentSlipRequest { AppointmentId = seeded.Appointment.Id.ToString("D") }, await World.CitizenAsync(seeded.Account));

        var bytes = slip.Pdf.ToByteArray();
        Assert.Equal("%PDF-"u8.ToArray(), bytes[..5]);
        Assert.Equal($"phieu-hen-{seeded.Dossier!.Code}.pdf", slip.FileName);
        using var pdf = PdfDocument.Open(bytes);
        Assert.Equal(seeded.Dossier.Code, pdf.Information.Subject);
        var page = pdf.GetPage(1);
        var text = string.Join(" ", page.GetWords().Select(w => w.Text));
        var date = DoorWorld.Today.AddDays(2);
        foreach (var expected in new[]
                 {
                     "PHIẾU HẸN", "Nguyễn Thị Hồng Nhung", seeded.Account.IdNumber, $"Mã hồ sơ: {seeded.Dossier.Code}",
                     "Trạm thu nhận Công an phường Hàng Bài", "Số 11 phố Hàng Bài, quận Hoàn Kiếm, Hà Nội",
                     $"Ngày hẹn: {date:dd/MM/yyyy}, buổi chiều (13:30 - 17:00)", "Cấp thẻ Căn cước công dân khi đã có thông tin trong Cơ sở dữ liệu quốc gia về dân cư",
                 })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }

        // The QR code printed on the slip scans to the payload, and the payload checks.
        Assert.Equal(slip.QrPayload, SlipQrScan.Decode(Assert.Single(page.GetImages())));
        Assert.Equal(seeded.Appointment.Id, Signature.Verify(slip.QrPayload));
    }

    [Fact]
    public void QrPayload_Altered_MadeUp_OrMovedToAnotherId_IsRefused()
    {
        var id = Guid.NewGuid();
        var payload = Signature.Sign(id);
        var parts = payload.Split('.');
        var flipped = parts[2][..^3] + (parts[2][^3] == 'A' ? 'B' : 'A') + parts[2][^2..];

        Assert.Equal(id, Signature.Verify(payload));
        Assert.Null(Signature.Verify($"{parts[0]}.{Guid.NewGuid():N}.{parts[2]}"));
        Assert.Null(Signature.Verify($"{parts[0]}.{parts[1]}.{flipped}"));
        Assert.Null(Signature.Verify($"DVC2.{parts[1]}.{parts[2]}"));
        Assert.Null(Signature.Verify($"{parts[0]}.{parts[1]}"));
        Assert.Null(Signature.Verify($"{parts[0]}.{parts[1]}.not-base64!"));
        Assert.Null(Signature.Verify(string.Empty));
    }

    [Fact]
    public async Task QrPayload_SignedByAnotherServersKeyRing_IsRefused()
    {
        await using var other = await InProcessServer.StartAsync(null, "--Dvc:Population:DemoCitizens=0");
        var id = Guid.NewGuid();

        var foreign = other.Services.GetRequiredService<SlipSignature>().Sign(id);

        Assert.Null(Signature.Verify(foreign));
    }

    [Fact]
    public async Task Slip_ToAnIntakeOfficerOfTheStationsUnit_IsGiven_ToAnotherCitizen_PermissionDenied()
    {
        var (seeded, unit) = await ConfirmedAsync();
        var request = new GetAppointmentSlipRequest { AppointmentId = seeded.Appointment.Id.ToString("D") };
        var stranger = await World.CitizenAsync(await World.AccountAsync("+84912000000", "Trần Văn Khác"));

        var officer = await World.Client.GetAppointmentSlipAsync(request, await World.IntakeAsync(unit.Code));
        var refused = await Assert.ThrowsAsync<RpcException>(() => World.Client.GetAppointmentSlipAsync(request, stranger).ResponseAsync);

        Assert.Equal(seeded.Appointment.Id, Signature.Verify(officer.QrPayload));
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
    }

    [Fact]
    public async Task Slip_OfAHold_IsFailedPrecondition()
    {
        var (seeded, _) = await ConfirmedAsync(AppointmentStatuses.Held);
        var citizen = await World.CitizenAsync(seeded.Account);

        var refused = await Assert.ThrowsAsync<RpcException>(() => World.Client.GetAppointmentSlipAsync(
            new GetAppointmentSlipRequest { AppointmentId = seeded.Appointment.Id.ToString("D") }, citizen).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
    }
}
