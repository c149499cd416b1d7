using Google.Rpc;
using Grpc.Core;
using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Server.Errors;

namespace GrpcDvc.Server.Appointments.Booking;

/// <summary>The booking's refusals: reason codes a portal can act on.</summary>
public static class BookingErrors
{
    public const string SessionFull = "SESSION_FULL";
    public const string NotOpenYet = "SESSION_NOT_OPEN_YET";
    public const string Closed = "SESSION_CLOSED";
    public const string Started = "SESSION_STARTED";
    public const string AlreadyBooked = "ALREADY_BOOKED";
    public const string NotBookable = "PROCEDURE_NOT_BOOKED_AT_STATIONS";
    public const string StationNotTaking = "STATION_DOES_NOT_TAKE_PROCEDURE";
    public const string StationNotAccepting = "STATION_NOT_ACCEPTING";
    public const string NotActive = "APPOINTMENT_NOT_ACTIVE";
    public const string HoldExpired = "HOLD_EXPIRED";
    public const string NotHeld = "APPOINTMENT_NOT_HELD";
    public const string SameSession = "SAME_SESSION";
    public const string StationFixed = "STATION_FIXED_BY_DOSSIER";
    public const string ChangedConcurrently = "APPOINTMENT_CHANGED_CONCURRENTLY";
    public const string DossierNotWaiting = "DOSSIER_NOT_WAITING_FOR_COLLECTION";
    public const string RequestIdReused = "REQUEST_ID_REUSED";

    /// <summary>RESOURCE_EXHAUSTED: the session has no place left; QuotaFailure names it, OpenSessions offers others.</summary>
    public static RpcException Full(long sessionId, string label, OpenSessions alternatives)
        => RpcErrors.Create(StatusCode.ResourceExhausted, $"The session {label} is full; choose another.",
            new QuotaFailure
            {
                Violations =
                {
                    new QuotaFailure.Types.Violation { Subject = $"station_sessions/{sessionId}", Description = $"Every place of {label} is taken." },
                },
            },
            RpcErrors.Reason(SessionFull), alternatives);

    public static RpcException AlreadyBookedFor(string procedureCode, Guid existing)
        => RpcErrors.FailedPrecondition(AlreadyBooked, $"appointments/{existing}",
            $"You already have an active appointment ({existing}) for {procedureCode}: reschedule or cancel it.");
}
