using Grpc.Core;
using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Server.Appointments.Door;

namespace GrpcDvc.Server.Appointments;

/// <summary>
/// dvc.appointments.v1.AppointmentService: hands each rpc to the part that owns it. Access (roles) is the gate's
/// from the proto policy; the subject checks (own appointment, a station of the caller's unit) are each part's.
/// </summary>
public sealed class AppointmentGrpcService(SlipHandler slips, StationListHandler stationList, CheckInHandler checkIn, CollectHandler collect)
    : AppointmentService.AppointmentServiceBase
{
    public override Task<GetAppointmentSlipResponse> GetAppointmentSlip(GetAppointmentSlipRequest request, ServerCallContext context)
        => slips.GetAsync(request, context);

    public override Task<ListStationAppointmentsResponse> ListStationAppointments(ListStationAppointmentsRequest request, ServerCallContext context)
        => stationList.ListAsync(request, context);

    public override Task<CheckInResponse> CheckIn(CheckInRequest request, ServerCallContext context)
        => checkIn.CheckInAsync(request, context);

    public override Task<MarkCollectedResponse> MarkCollected(MarkCollectedRequest request, ServerCallContext context)
        => collect.CollectAsync(request, context);
}
