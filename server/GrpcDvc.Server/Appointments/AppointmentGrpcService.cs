using Grpc.Core;
using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Server.Appointments.Booking;

namespace GrpcDvc.Server.Appointments;

/// <summary>
/// dvc.appointments.v1.AppointmentService: hands each rpc to the part that owns it. Booking's rpcs are
/// below; the station's door (slip, station list, check-in, collection) is added by its part, and until
/// then answers UNIMPLEMENTED through the generated base.
/// </summary>
public sealed class AppointmentGrpcService(AppointmentBooking booking, AppointmentChanges changes, AppointmentQueries queries)
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
}
