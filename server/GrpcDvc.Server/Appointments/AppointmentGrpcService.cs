using Grpc.Core;
using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Server.Appointments.Booking;
using GrpcDvc.Server.Appointments.Door;

namespace GrpcDvc.Server.Appointments;

/// <summary>
/// dvc.appointments.v1.AppointmentService: hands each rpc to the part that owns it, booking (find, book,
/// reschedule, cancel, read) and the station's door (slip, the day's list, check-in, collection). Access
/// (roles) is the gate's from the proto policy; the subject checks (own appointment, a station of the
/// caller's unit) are each part's.
/// </summary>
public sealed class AppointmentGrpcService(
    AppointmentBooking booking, AppointmentChanges changes, AppointmentQueries queries,
    SlipHandler slips, StationListHandler stationList, CheckInHandler checkIn, CollectHandler collect)
    : AppointmentService.AppointmentServiceBase
{
    public override Task<FindOpenSlotsResponse> FindOpenSlots(FindOpenSlotsRequest request, ServerCallContext context)
        => queries.FindOpenSlotsAsync(request, context);

    public override Task<BookAppointmentResponse> BookAppointment(BookAppointmentRequest request, ServerCallContext context)
        => booking.BookAsync(request, context);

    public override Task<RescheduleAppointmentResponse> RescheduleAppointment(RescheduleAppointmentRequest request, ServerCallContext context)
        => changes.RescheduleAsync(request, context);

    public override Task<CancelAppointmentResponse> CancelAppointment(CancelAppointmentRequest request, ServerCallContext context)
        => changes.CancelAsync(request, context);

    public override Task<ListMyAppointmentsResponse> ListMyAppointments(ListMyAppointmentsRequest request, ServerCallContext context)
        => queries.ListMineAsync(request, context);

    public override Task<GetAppointmentResponse> GetAppointment(GetAppointmentRequest request, ServerCallContext context)
        => queries.GetAsync(request, context);

    public override Task<GetAppointmentSlipResponse> GetAppointmentSlip(GetAppointmentSlipRequest request, ServerCallContext context)
        => slips.GetAsync(request, context);

    public override Task<ListStationAppointmentsResponse> ListStationAppointments(ListStationAppointmentsRequest request, ServerCallContext context)
        => stationList.ListAsync(request, context);

    public override Task<CheckInResponse> CheckIn(CheckInRequest request, ServerCallContext context)
        => checkIn.CheckInAsync(request, context);

    public override Task<MarkCollectedResponse> MarkCollected(MarkCollectedRequest request, ServerCallContext context)
        => collect.CollectAsync(request, context);
}
