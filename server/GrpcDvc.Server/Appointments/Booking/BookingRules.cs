using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Server.Errors;
using ProtoDate = GrpcDvc.Contracts.Common.V1.Date;

namespace GrpcDvc.Server.Appointments.Booking;

/// <summary>Checks the fields of booking requests; every problem at once as field violations.</summary>
public static class BookingRules
{
    public const int MaxCodeLength = 32;

    /// <summary>The request id as stored (canonical UUID form), or null with a violation.</summary>
    public static string? RequestId(List<FieldViolation> violations, string value)
    {
        if (Guid.TryParse(value, out var id) && id != Guid.Empty)
        {
            return id.ToString("D");
        }

        violations.Add(new FieldViolation("request_id", "A client request id (a UUID) is required: a retry with it returns the first answer.", "REQUEST_ID_INVALID"));
        return null;
    }

    public static Guid? AppointmentId(List<FieldViolation> violations, string value)
    {
        if (Guid.TryParse(value, out var id) && id != Guid.Empty)
        {
            return id;
        }

        violations.Add(new FieldViolation("appointment_id", "An appointment id (from BookAppointment or ListMyAppointments) is required.", "APPOINTMENT_ID_INVALID"));
        return null;
    }

    public static string? Code(List<FieldViolation> violations, string field, string value)
    {
        if (value.Length is > 0 and <= MaxCodeLength && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_'))
        {
            return value;
        }

        violations.Add(new FieldViolation(field, $"A code of at most {MaxCodeLength} letters, digits, '-', '.' or '_' is required.", "REQUIRED"));
        return null;
    }

    public static DateOnly? Date(List<FieldViolation> violations, string field, ProtoDate? date, bool required = true)
    {
        if (date is null || (date.Year == 0 && date.Month == 0 && date.Day == 0))
        {
            if (required)
            {
                violations.Add(new FieldViolation(field, "A date is required.", "REQUIRED"));
            }

            return null;
        }

        if (date.Year is < 2000 or > 9999 || date.Month is < 1 or > 12 || date.Day < 1 || date.Day > DateTime.DaysInMonth(date.Year, date.Month))
        {
            violations.Add(new FieldViolation(field, "Not a calendar date.", "DATE_INVALID"));
            return null;
        }

        return new DateOnly(date.Year, date.Month, date.Day);
    }

    public static int? Part(List<FieldViolation> violations, SessionPart part)
    {
        if (part is SessionPart.Morning or SessionPart.Afternoon or SessionPart.Evening)
        {
            return (int)part;
        }

        violations.Add(new FieldViolation("part", "Choose the session: morning, afternoon or evening.", "PART_INVALID"));
        return null;
    }

    /// <summary>Throws INVALID_ARGUMENT with every violation when there is any.</summary>
    public static void ThrowIfAny(List<FieldViolation> violations, string message)
    {
        if (violations.Count > 0)
        {
            throw RpcErrors.InvalidArgument(message, [.. violations]);
        }
    }
}
