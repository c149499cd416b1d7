using GrpcDvc.Server.Errors;

namespace GrpcDvc.Server.Appointments.Door;

/// <summary>The door's input rules, each broken rule one field violation.</summary>
public static class DoorInput
{
    public static string RequestId(string value, List<FieldViolation> violations)
    {
        if (value.Length == 0)
        {
            violations.Add(new FieldViolation("request_id", "Required: a UUID the client makes up for this change and sends again on a retry.", "REQUIRED"));
        }
        else if (value.Length != 36 || !Guid.TryParseExact(value, "D", out _))
        {
            violations.Add(new FieldViolation("request_id", "Must be a UUID (8-4-4-4-12 hex digits).", "REQUEST_ID_INVALID"));
        }

        return value.ToLowerInvariant();
    }

    public static Guid AppointmentId(string value, List<FieldViolation> violations)
    {
        if (value.Length == 0)
        {
            violations.Add(new FieldViolation("appointment_id", "Required.", "REQUIRED"));
        }
        else if (Guid.TryParseExact(value, "D", out var id))
        {
            return id;
        }
        else
        {
            violations.Add(new FieldViolation("appointment_id", "Must be a UUID.", "INVALID"));
        }

        return Guid.Empty;
    }

    public static string StationId(string value, List<FieldViolation> violations)
    {
        if (value.Length == 0)
        {
            violations.Add(new FieldViolation("station_id", "Required.", "REQUIRED"));
        }
        else if (value.Length > 32)
        {
            violations.Add(new FieldViolation("station_id", "At most 32 characters.", "TOO_LONG"));
        }

        return value;
    }

    public static void ThrowIfAny(List<FieldViolation> violations, string rpc)
    {
        if (violations.Count > 0)
        {
            throw RpcErrors.InvalidArgument($"The {rpc} request is invalid.", [.. violations]);
        }
    }
}
