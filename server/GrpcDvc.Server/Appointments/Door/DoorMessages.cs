using Google.Protobuf.WellKnownTypes;
using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Server.Appointments.Slots;

namespace GrpcDvc.Server.Appointments.Door;

/// <summary>An appointment, its session and its station to the Appointment message the door's rpcs answer with.</summary>
public static class DoorMessages
{
    public static Appointment ToMessage(AppointmentRecord appointment, StationSessionRecord session, StationRecord station)
    {
        var status = StatusOf(appointment.Status);
        var message = new Appointment
        {
            AppointmentId = appointment.Id.ToString("D"),
            Status = status,
            StatusName = StatusName(status),
            ProcedureCode = appointment.ProcedureCode,
            Slot = SlotMessages.ToMessage(session, station),
            DossierCode = appointment.DossierCode ?? string.Empty,
            IdNumber = appointment.IdNumber,
            FullName = appointment.FullName,
            BookedAt = Timestamp.FromDateTimeOffset(appointment.BookedAt),
            StationNote = appointment.StationNote ?? string.Empty,
        };
        if (appointment.HoldExpiresAt is { } hold && status == AppointmentStatus.Held)
        {
            message.HoldExpiresAt = Timestamp.FromDateTimeOffset(hold);
        }

        if (appointment.CheckedInAt is { } checkedIn)
        {
            message.CheckedInAt = Timestamp.FromDateTimeOffset(checkedIn);
        }

        if (appointment.CollectedAt is { } collected)
        {
            message.CollectedAt = Timestamp.FromDateTimeOffset(collected);
        }

        return message;
    }

    public static AppointmentStatus StatusOf(string code) => code switch
    {
        AppointmentStatuses.Held => AppointmentStatus.Held,
        AppointmentStatuses.Confirmed => AppointmentStatus.Confirmed,
        AppointmentStatuses.CheckedIn => AppointmentStatus.CheckedIn,
        AppointmentStatuses.Collected => AppointmentStatus.Collected,
        AppointmentStatuses.Cancelled => AppointmentStatus.Cancelled,
        AppointmentStatuses.Expired => AppointmentStatus.Expired,
        AppointmentStatuses.NoShow => AppointmentStatus.NoShow,
        AppointmentStatuses.CancelledByStation => AppointmentStatus.CancelledByStation,
        _ => AppointmentStatus.Unspecified,
    };

    /// <summary>The Vietnamese name portals show (the contract's own words).</summary>
    public static string StatusName(AppointmentStatus status) => status switch
    {
        AppointmentStatus.Held => "Giữ chỗ",
        AppointmentStatus.Confirmed => "Đã xác nhận",
        AppointmentStatus.CheckedIn => "Đã đến",
        AppointmentStatus.Collected => "Đã thu nhận",
        AppointmentStatus.Cancelled => "Đã hủy",
        AppointmentStatus.Expired => "Hết hạn giữ chỗ",
        AppointmentStatus.NoShow => "Không đến",
        AppointmentStatus.CancelledByStation => "Trạm hủy",
        _ => string.Empty,
    };
}
