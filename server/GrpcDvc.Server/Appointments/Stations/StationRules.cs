using System.Globalization;
using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Server.Errors;
using ProtoDate = GrpcDvc.Contracts.Common.V1.Date;

namespace GrpcDvc.Server.Appointments.Stations;

/// <summary>A station as a manager describes it, checked for form (the database checks units and procedures).</summary>
public sealed record StationDraft(
    string Id, string Name, string Kind, string UnitCode, string CommuneCode, string Address, IReadOnlyList<string> ProcedureCodes,
    int BookingWindowDays, int ReleaseMinute, DateOnly? VisitFrom, DateOnly? VisitTo, bool Accepting);

/// <summary>The form rules of the station manager's requests: every broken one becomes a field violation.</summary>
public static class StationRules
{
    public const int MaxRequestIdLength = 64;
    public const int MaxCapacity = 2000;
    public const int MaxWindowDays = 90;
    public const int MaxQuotaRangeDays = 366;
    public const int MaxUtilizationRangeDays = 93;

    /// <summary>A station takes a handful of procedures; the bound keeps one request from naming thousands.</summary>
    public const int MaxProcedures = 50;

    /// <summary>Seven weekdays × morning and afternoon.</summary>
    public const int MaxTemplateSessions = 14;

    public static void RequestId(string requestId, List<FieldViolation> violations)
    {
        if (string.IsNullOrWhiteSpace(requestId))
        {
            violations.Add(new FieldViolation("request_id", "Required: a retry with the same id returns the first answer.", "REQUIRED"));
        }
        else if (requestId.Length > MaxRequestIdLength)
        {
            violations.Add(new FieldViolation("request_id", $"At most {MaxRequestIdLength} characters.", "TOO_LONG"));
        }
    }

    /// <summary>Mã trạm: 3–32 characters, A–Z, 0–9 and '-'.</summary>
    public static bool IsStationCode(string code)
        => code.Length is >= 3 and <= 32 && code.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-');

    public static void StationId(string code, string field, List<FieldViolation> violations)
    {
        if (!IsStationCode(code))
        {
            violations.Add(new FieldViolation(field, "A station code is 3–32 characters: A–Z, 0–9 and '-'.", "INVALID_STATION_ID"));
        }
    }

    /// <summary>The station fields of a create (all) or an update (the editable ones: <paramref name="creating"/> false).</summary>
    public static StationDraft? Draft(Station? station, bool creating, List<FieldViolation> violations)
    {
        if (station is null)
        {
            violations.Add(new FieldViolation("station", "Required.", "REQUIRED"));
            return null;
        }

        StationId(station.StationId, "station.station_id", violations);
        var name = station.Name.Trim();
        if (name.Length is 0 or > 200)
        {
            violations.Add(new FieldViolation("station.name", "1–200 characters.", name.Length == 0 ? "REQUIRED" : "TOO_LONG"));
        }

        var address = station.Address.Trim();
        if (address.Length is 0 or > 300)
        {
            violations.Add(new FieldViolation("station.address", "1–300 characters.", address.Length == 0 ? "REQUIRED" : "TOO_LONG"));
        }

        var kind = creating ? station.Kind : StationKind.Unspecified;
        if (creating && kind is not (StationKind.Fixed or StationKind.Mobile))
        {
            violations.Add(new FieldViolation("station.kind", "FIXED or MOBILE.", "REQUIRED"));
        }

        if (creating && string.IsNullOrWhiteSpace(station.UnitCode))
        {
            violations.Add(new FieldViolation("station.unit_code", "The police unit the station belongs to.", "REQUIRED"));
        }

        if (string.IsNullOrWhiteSpace(station.CommuneCode))
        {
            violations.Add(new FieldViolation("station.commune_code", "The commune where it works.", "REQUIRED"));
        }

        var procedures = station.ProcedureCodes.Select(p => p.Trim()).ToList();
        if (procedures.Count == 0)
        {
            violations.Add(new FieldViolation("station.procedure_codes", "At least one procedure.", "REQUIRED"));
        }
        else if (procedures.Count > MaxProcedures)
        {
            violations.Add(new FieldViolation("station.procedure_codes", $"At most {MaxProcedures} procedures.", "TOO_MANY"));
        }
        else if (procedures.Distinct(StringComparer.Ordinal).Count() != procedures.Count)
        {
            violations.Add(new FieldViolation("station.procedure_codes", "Each procedure once.", "DUPLICATE"));
        }

        if (station.BookingWindowDays is < 1 or > MaxWindowDays)
        {
            violations.Add(new FieldViolation("station.booking_window_days", $"1–{MaxWindowDays} days.", "OUT_OF_RANGE"));
        }

        var release = station.ReleaseTime.Length == 0 ? 0 : Minute(station.ReleaseTime);
        if (release is null)
        {
            violations.Add(new FieldViolation("station.release_time", "A local time \"HH:mm\" (empty: 00:00).", "INVALID_TIME"));
        }

        var visitFrom = OptionalDate(station.VisitFrom, "station.visit_from", violations);
        var visitTo = OptionalDate(station.VisitTo, "station.visit_to", violations);
        var mobile = creating ? kind == StationKind.Mobile : visitFrom is not null || visitTo is not null;
        if (creating && kind == StationKind.Mobile && (visitFrom is null || visitTo is null))
        {
            violations.Add(new FieldViolation("station.visit_from", "A mobile team names the first and last day of its visit.", "REQUIRED"));
        }
        else if (creating && kind == StationKind.Fixed && (visitFrom is not null || visitTo is not null))
        {
            violations.Add(new FieldViolation("station.visit_from", "A fixed station has no visit.", "NOT_ALLOWED"));
        }
        else if (mobile && visitFrom is { } f && visitTo is { } t && t < f)
        {
            violations.Add(new FieldViolation("station.visit_to", "Not before visit_from.", "OUT_OF_RANGE"));
        }

        return new StationDraft(station.StationId, name, kind == StationKind.Mobile ? StationKinds.Mobile : StationKinds.Fixed,
            station.UnitCode.Trim(), station.CommuneCode.Trim(), address, procedures, station.BookingWindowDays, release ?? 0,
            visitFrom, visitTo, station.Accepting);
    }

    /// <summary>A weekly template: each weekday and part at most once, morning or afternoon (evenings only by override), times and quota in range.</summary>
    public static List<TemplateSlot> Template(WeeklyTemplate? template, string field, List<FieldViolation> violations)
    {
        var slots = new List<TemplateSlot>();
        if (template is null)
        {
            return slots;
        }

        if (template.Sessions.Count > MaxTemplateSessions)
        {
            violations.Add(new FieldViolation($"{field}.sessions", $"At most {MaxTemplateSessions} sessions: a morning and an afternoon per weekday.", "TOO_MANY"));
            return slots;
        }

        for (var i = 0; i < template.Sessions.Count; i++)
        {
            var s = template.Sessions[i];
            var at = $"{field}.sessions[{i}]";
            var ok = true;
            if (s.Weekday is < Contracts.Common.V1.Weekday.Monday or > Contracts.Common.V1.Weekday.Sunday)
            {
                violations.Add(new FieldViolation($"{at}.weekday", "MONDAY … SUNDAY.", "REQUIRED"));
                ok = false;
            }

            if (s.Part is not (SessionPart.Morning or SessionPart.Afternoon))
            {
                violations.Add(new FieldViolation($"{at}.part", "MORNING or AFTERNOON (an evening is a dated extra session).", "INVALID_PART"));
                ok = false;
            }

            ok &= Times(s.StartTime, s.EndTime, at, violations, out var start, out var end);
            ok &= Capacity(s.Capacity, $"{at}.capacity", violations);
            if (ok && slots.Any(x => x.Weekday == (int)s.Weekday && x.Part == (int)s.Part))
            {
                violations.Add(new FieldViolation(at, "This weekday already has this part.", "DUPLICATE"));
                ok = false;
            }

            if (ok)
            {
                slots.Add(new TemplateSlot((int)s.Weekday, (int)s.Part, start, end, s.Capacity));
            }
        }

        return slots;
    }

    public static bool Times(string startText, string endText, string at, List<FieldViolation> violations, out int start, out int end)
    {
        var s = Minute(startText);
        var e = Minute(endText);
        start = s ?? 0;
        end = e ?? 0;
        if (s is null || e is null)
        {
            violations.Add(new FieldViolation(s is null ? $"{at}.start_time" : $"{at}.end_time", "A local time \"HH:mm\".", "INVALID_TIME"));
            return false;
        }

        if (e <= s)
        {
            violations.Add(new FieldViolation($"{at}.end_time", "After start_time.", "OUT_OF_RANGE"));
            return false;
        }

        return true;
    }

    public static bool Capacity(int capacity, string field, List<FieldViolation> violations)
    {
        if (capacity is >= 1 and <= MaxCapacity)
        {
            return true;
        }

        violations.Add(new FieldViolation(field, $"A quota of 1–{MaxCapacity} citizens.", "OUT_OF_RANGE"));
        return false;
    }

    /// <summary>Minutes after midnight of "HH:mm", or null.</summary>
    public static int? Minute(string text)
        => TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time.Hour * 60 + time.Minute : null;

    public static string Clock(int minute) => $"{minute / 60:D2}:{minute % 60:D2}";

    public static DateOnly? OptionalDate(ProtoDate? date, string field, List<FieldViolation> violations)
    {
        if (date is null || (date.Year == 0 && date.Month == 0 && date.Day == 0))
        {
            return null;
        }

        if (date.Year is < 2000 or > 2200 || date.Month is < 1 or > 12 || date.Day < 1 || date.Day > DateTime.DaysInMonth(date.Year, date.Month))
        {
            violations.Add(new FieldViolation(field, "Not a calendar date.", "INVALID_DATE"));
            return null;
        }

        return new DateOnly(date.Year, date.Month, date.Day);
    }

    public static DateOnly? RequiredDate(ProtoDate? date, string field, List<FieldViolation> violations)
    {
        var count = violations.Count;
        var value = OptionalDate(date, field, violations);
        if (value is null && violations.Count == count)
        {
            violations.Add(new FieldViolation(field, "Required.", "REQUIRED"));
        }

        return value;
    }

    public static void ThrowIfAny(List<FieldViolation> violations, string message)
    {
        if (violations.Count > 0)
        {
            throw RpcErrors.InvalidArgument(message, [.. violations]);
        }
    }
}
