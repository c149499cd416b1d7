using Google.Rpc;
using Grpc.Core;
using GrpcDvc.Server.Errors;

namespace GrpcDvc.Server.Appointments.Door;

/// <summary>The reason codes of the station's door (ErrorInfo reasons and PreconditionFailure types).</summary>
public static class DoorReasons
{
    public const string WrongStation = "APPOINTMENT_AT_ANOTHER_STATION";
    public const string WrongDay = "APPOINTMENT_ON_ANOTHER_DAY";
    public const string NotConfirmed = "APPOINTMENT_NOT_CONFIRMED";
    public const string NotCheckedIn = "APPOINTMENT_NOT_CHECKED_IN";
    public const string QrInvalid = "QR_PAYLOAD_INVALID";
    public const string RequestIdReused = "REQUEST_ID_REUSED";
    public const string NoDossier = "APPOINTMENT_WITHOUT_DOSSIER";
    public const string SlipFontMissing = "SLIP_FONT_MISSING";
}

public static class DoorErrors
{
    public static RpcException AppointmentNotFound(string what)
        => RpcErrors.NotFound("appointment", what, $"No appointment {what}.");

    public static RpcException StationNotFound(string stationId)
        => RpcErrors.NotFound("station", stationId, $"No station {stationId}.");

    /// <summary>FAILED_PRECONDITION with one violation per broken condition, so the officer sees every reason at once.</summary>
    public static RpcException Refused(string subject, IReadOnlyList<(string Type, string Description)> violations)
    {
        var failure = new PreconditionFailure();
        foreach (var (type, description) in violations)
        {
            failure.Violations.Add(new PreconditionFailure.Types.Violation { Type = type, Subject = subject, Description = description });
        }

        var message = string.Join(" ", violations.Select(v => v.Description));
        return RpcErrors.Create(StatusCode.FailedPrecondition, message, failure, RpcErrors.Reason(violations[0].Type));
    }

    public static RpcException RequestIdReused(string usedFor)
        => RpcErrors.InvalidArgument("This request id was already used for another change.",
            new FieldViolation("request_id", $"Already used for {usedFor}; make up a new id for each change.", DoorReasons.RequestIdReused));
}
