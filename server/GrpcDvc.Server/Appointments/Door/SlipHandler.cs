using Google.Protobuf;
using Grpc.Core;
using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Calendar;
using GrpcDvc.Server.Catalog;
using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Appointments.Door;

/// <summary>GetAppointmentSlip: the CC02 slip of a confirmed appointment, to its citizen or to an official of its station's unit.</summary>
public sealed class SlipHandler(DvcDbContext db, DoorReads reads, IAgencyScope scope, SlipSignature signature, DoorReadLog readLog, TimeProvider time)
{
    public async Task<GetAppointmentSlipResponse> GetAsync(GetAppointmentSlipRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        var id = DoorInput.AppointmentId(request.AppointmentId, violations);
        DoorInput.ThrowIfAny(violations, "GetAppointmentSlip");
        var cancellationToken = context.CancellationToken;
        var place = await reads.AppointmentAsync(id, cancellationToken) ?? throw DoorErrors.AppointmentNotFound(request.AppointmentId);
        var (appointment, session, station) = place;
        var caller = context.GetCaller();
        if (caller.Kind == AccountKind.Citizen)
        {
            if (appointment.AccountId != caller.AccountId)
            {
                throw AccessErrors.PermissionDenied(AccessReasons.NotOwnRecord, "A citizen may read only their own appointments.");
            }
        }
        else
        {
            await context.EnsureWithinAgencyAsync(scope, [station.UnitCode]);
        }

        if (appointment.Status != AppointmentStatuses.Confirmed || appointment.DossierCode is null)
        {
            throw DoorErrors.Refused(appointment.Id.ToString("D"),
                [(DoorReasons.NotConfirmed, $"A slip is made for a confirmed appointment; this one is {AppointmentMessages.Status(appointment.Status).Name}.")]);
        }

        if (!SlipFonts.EnsureInstalled())
        {
            throw RpcErrors.FailedPrecondition(DoorReasons.SlipFontMissing, "fonts-dejavu-core",
                "The server cannot draw the slip: the DejaVu Sans font files are not installed (Debian: fonts-dejavu-core).");
        }

        var procedure = await db.Procedures().AsNoTracking().Where(p => p.Code == appointment.ProcedureCode).Select(p => p.NameVi).FirstOrDefaultAsync(cancellationToken);
        var unit = await db.Set<AdministrativeUnitRow>().AsNoTracking().Where(u => u.Id == station.UnitId).Select(u => u.Name).FirstOrDefaultAsync(cancellationToken);
        var payload = signature.Sign(appointment.Id);
        var pdf = SlipDocument.Build(new SlipContent(
            unit ?? station.UnitCode,
            station.Name,
            station.Address,
            session.Date,
            SessionName(session.Part),
            TimeOnly.FromDateTime(VietnamTime.ToLocal(session.StartsAt).DateTime),
            TimeOnly.FromDateTime(VietnamTime.ToLocal(session.EndsAt).DateTime),
            appointment.DossierCode,
            procedure ?? appointment.ProcedureCode,
            appointment.FullName,
            appointment.IdNumber,
            payload,
            VietnamTime.ToLocal(time.GetUtcNow())));
        await readLog.WriteAsync(caller, [appointment], context.Method, cancellationToken);
        return new GetAppointmentSlipResponse
        {
            Pdf = ByteString.CopyFrom(pdf),
            QrPayload = payload,
            FileName = $"phieu-hen-{appointment.DossierCode}.pdf",
        };
    }

    public static string SessionName(int part) => part switch
    {
        (int)SessionPart.Morning => "buổi sáng",
        (int)SessionPart.Afternoon => "buổi chiều",
        (int)SessionPart.Evening => "buổi tối",
        _ => "buổi",
    };
}
