namespace GrpcDvc.Server.Appointments;

/// <summary>A collection station (table stations).</summary>
public sealed class StationRecord
{
    /// <summary>The manager's station code (mã trạm).</summary>
    public required string Id { get; set; }

    public required string Name { get; set; }

    /// <summary>A <see cref="StationKinds"/> code.</summary>
    public required string Kind { get; set; }

    /// <summary>The police unit it belongs to (administrative_units.id): the key of agency scope.</summary>
    public int UnitId { get; set; }

    public required string UnitCode { get; set; }

    /// <summary>The commune where it works (for a mobile team, the commune visited).</summary>
    public int CommuneUnitId { get; set; }

    public required string CommuneCode { get; set; }

    public required string Address { get; set; }

    public int BookingWindowDays { get; set; }

    /// <summary>Minutes after local midnight at which the last day of the window opens.</summary>
    public int ReleaseMinute { get; set; }

    public DateOnly? VisitFrom { get; set; }

    public DateOnly? VisitTo { get; set; }

    public bool Accepting { get; set; }

    public long Version { get; set; }

    public required string CreateRequestId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

public static class StationKinds
{
    public const string Fixed = "fixed";
    public const string Mobile = "mobile";
}

/// <summary>A procedure a station takes (table station_procedures).</summary>
public sealed class StationProcedureRecord
{
    public required string StationId { get; set; }

    public required string ProcedureCode { get; set; }
}

/// <summary>One session of a station's weekly template (table station_template_sessions).</summary>
public sealed class StationTemplateSessionRecord
{
    public required string StationId { get; set; }

    /// <summary>ISO weekday, 1 = Monday … 7 = Sunday.</summary>
    public int Weekday { get; set; }

    /// <summary>A SessionPart number (1 morning, 2 afternoon, 3 evening).</summary>
    public int Part { get; set; }

    public int StartMinute { get; set; }

    public int EndMinute { get; set; }

    public int Capacity { get; set; }
}

/// <summary>A dated exception to a station's template (table station_overrides).</summary>
public sealed class StationOverrideRecord
{
    public required string StationId { get; set; }

    public DateOnly Date { get; set; }

    /// <summary>A SessionPart number; 0 with <see cref="StationOverrideKinds.Closed"/> closes the whole day.</summary>
    public int Part { get; set; }

    /// <summary>A <see cref="StationOverrideKinds"/> code.</summary>
    public required string Kind { get; set; }

    public int? StartMinute { get; set; }

    public int? EndMinute { get; set; }

    public int? Capacity { get; set; }

    public string? Reason { get; set; }

    public DateTimeOffset SetAt { get; set; }

    public Guid? SetBy { get; set; }
}

public static class StationOverrideKinds
{
    public const string Closed = "closed";
    public const string ExtraSession = "extra";
    public const string Capacity = "capacity";
}

/// <summary>
/// One session of one open day at one station (table station_sessions): the row every booking
/// takes its place from, by one conditional update (booked &lt; capacity, not closed, opened).
/// </summary>
public sealed class StationSessionRecord
{
    public long Id { get; set; }

    public required string StationId { get; set; }

    public DateOnly Date { get; set; }

    public int Part { get; set; }

    public DateTimeOffset StartsAt { get; set; }

    public DateTimeOffset EndsAt { get; set; }

    /// <summary>When the day opens for booking (the station's release time, booking_window_days before).</summary>
    public DateTimeOffset OpensAt { get; set; }

    public int Capacity { get; set; }

    /// <summary>Places taken: held and confirmed appointments, checked in and collected ones.</summary>
    public int Booked { get; set; }

    public bool Closed { get; set; }

    /// <summary>When the no-show job closed the books of the ended session.</summary>
    public DateTimeOffset? SettledAt { get; set; }
}
