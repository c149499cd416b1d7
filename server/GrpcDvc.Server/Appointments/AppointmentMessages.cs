using Google.Protobuf.WellKnownTypes;
using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Server.Appointments.Slots;

namespace GrpcDvc.Server.Appointments;

/// <summary>Appointment rows to their messages, for every rpc that answers with one (booking and the station's door).</summary>
public static class AppointmentMessages
{
    public static Appointment ToMessage(AppointmentRecord row, StationSessionRecord session, StationRecord station)
    {
        var (status, name) = Status(row.Status);
        var message = new Appointment
        {
            AppointmentId = row.Id.ToString(),
            Status = status,
            StatusName = name,
            ProcedureCode = row.ProcedureCode,
            Slot = SlotMessages.ToMessage(session, station),
            DossierCode = row.DossierCode ?? "",
            IdNumber = row.IdNumber,
            FullName = row.FullName,
            BookedAt = Timestamp.FromDateTimeOffset(row.BookedAt),
            StationNote = row.StationNote ?? "",
        };
        if (row.HoldExpiresAt is { } expires && status == AppointmentStatus.Held)
        {
            message.HoldExpiresAt = Timestamp.FromDateTimeOffset(expires);
        }

        if (row.CheckedInAt is { } checkedIn)
        {
            message.CheckedInAt = Timestamp.FromDateTimeOffset(checkedIn);
        }

        if (row.CollectedAt is { } collected)
        {
            message.CollectedAt = Timestamp.FromDateTimeOffset(collected);
        }

        return message;
    }

    public static (AppointmentStatus Status, string Name) Status(string code) => code switch
    {
        AppointmentStatuses.Held => (AppointmentStatus.Held, "Giữ chỗ"),
        AppointmentStatuses.Confirmed => (AppointmentStatus.Confirmed, "Đã xác nhận"),
        AppointmentStatuses.CheckedIn => (AppointmentStatus.CheckedIn, "Đã đến"),
        AppointmentStatuses.Collected => (AppointmentStatus.Collected, "Đã thu nhận"),
        AppointmentStatuses.Cancelled => (AppointmentStatus.Cancelled, "Đã hủy"),
        AppointmentStatuses.Expired => (AppointmentStatus.Expired, "Hết hạn giữ chỗ"),
        AppointmentStatuses.NoShow => (AppointmentStatus.NoShow, "Không đến"),
        AppointmentStatuses.CancelledByStation => (AppointmentStatus.CancelledByStation, "Trạm hủy"),
        _ => (AppointmentStatus.Unspecified, code),
    };
}
