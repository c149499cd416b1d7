using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Server.Errors;
using ProtoDate = GrpcDvc.Contracts.Common.V1.Date;

namespace GrpcDvc.Server.Appointments.Stations;

/// <summary>The form rules of dated changes: overrides, quotas and date ranges.</summary>
public static class DayOverrideRules
{
    public const int MaxReasonLength = 500;

    public static DayOverrideInput? Check(DayOverride? change, DateOnly today, List<FieldViolation> violations)
    {
        if (change is null)
        {
            violations.Add(new FieldViolation("override", "Required.", "REQUIRED"));
            return null;
        }

        var date = StationRules.RequiredDate(change.Date, "override.date", violations);
        if (date is { } d && d < today)
        {
            violations.Add(new FieldViolation("override.date", "A past day cannot be changed.", "IN_THE_PAST"));
        }

        string? kind = change.Kind switch
        {
            OverrideKind.Closed => StationOverrideKinds.Closed,
            OverrideKind.ExtraSession => StationOverrideKinds.ExtraSession,
            OverrideKind.Capacity => StationOverrideKinds.Capacity,
            _ => null,
        };
        if (kind is null)
        {
            violations.Add(new FieldViolation("override.kind", "CLOSED, EXTRA_SESSION or CAPACITY.", "REQUIRED"));
        }

        var partKnown = change.Part is SessionPart.Morning or SessionPart.Afternoon or SessionPart.Evening;
        if (!(partKnown || (change.Part == SessionPart.Unspecified && kind == StationOverrideKinds.Closed)))
        {
            violations.Add(new FieldViolation("override.part", "MORNING, AFTERNOON or EVENING (unspecified only to close the whole day).", "INVALID_PART"));
        }

        int? start = null, end = null, capacity = null;
        if (kind == StationOverrideKinds.ExtraSession && StationRules.Times(change.StartTime, change.EndTime, "override", violations, out var s, out var e))
        {
            (start, end) = (s, e);
        }

        if (kind is StationOverrideKinds.ExtraSession or StationOverrideKinds.Capacity && StationRules.Capacity(change.Capacity, "override.capacity", violations))
        {
            capacity = change.Capacity;
        }

        var reason = change.Reason.Trim();
        if (reason.Length > MaxReasonLength)
        {
            violations.Add(new FieldViolation("override.reason", $"At most {MaxReasonLength} characters.", "TOO_LONG"));
        }

        return date is { } day && kind is not null ? new DayOverrideInput(day, kind, (int)change.Part, start, end, capacity, reason) : null;
    }

    public static QuotaInput? Quota(SetQuotaRequest request, DateOnly today, List<FieldViolation> violations)
    {
        var range = Range(request.FromDate, request.ToDate, StationRules.MaxQuotaRangeDays, violations);
        if (range is { } r && r.From < today)
        {
            violations.Add(new FieldViolation("from_date", "A past day cannot be changed.", "IN_THE_PAST"));
        }

        for (var i = 0; i < request.Weekdays.Count; i++)
        {
            if (request.Weekdays[i] is < Contracts.Common.V1.Weekday.Monday or > Contracts.Common.V1.Weekday.Sunday)
            {
                violations.Add(new FieldViolation($"weekdays[{i}]", "MONDAY … SUNDAY.", "INVALID_WEEKDAY"));
            }
        }

        for (var i = 0; i < request.Parts.Count; i++)
        {
            if (request.Parts[i] is not (SessionPart.Morning or SessionPart.Afternoon or SessionPart.Evening))
            {
                violations.Add(new FieldViolation($"parts[{i}]", "MORNING, AFTERNOON or EVENING.", "INVALID_PART"));
            }
        }

        StationRules.Capacity(request.Capacity, "capacity", violations);
        if (!Enum.IsDefined(request.Surplus))
        {
            violations.Add(new FieldViolation("surplus", "Unspecified or CANCEL_LATEST_AND_NOTIFY.", "INVALID_SURPLUS"));
        }

        return range is { } ok
            ? new QuotaInput(ok.From, ok.To, request.Weekdays.Select(w => (int)w).ToHashSet(), request.Parts.Select(p => (int)p).ToHashSet(), request.Capacity)
            : null;
    }

    public static (DateOnly From, DateOnly To)? Range(ProtoDate? fromDate, ProtoDate? toDate, int maxDays, List<FieldViolation> violations)
    {
        var from = StationRules.RequiredDate(fromDate, "from_date", violations);
        var to = StationRules.RequiredDate(toDate, "to_date", violations);
        if (from is not { } f || to is not { } t)
        {
            return null;
        }

        if (t < f)
        {
            violations.Add(new FieldViolation("to_date", "Not before from_date.", "OUT_OF_RANGE"));
            return null;
        }

        if (t.DayNumber - f.DayNumber + 1 > maxDays)
        {
            violations.Add(new FieldViolation("to_date", $"At most {maxDays} days.", "RANGE_TOO_LONG"));
            return null;
        }

        return (f, t);
    }
}
