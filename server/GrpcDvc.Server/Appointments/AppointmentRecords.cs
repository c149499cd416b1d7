namespace GrpcDvc.Server.Appointments;

/// <summary>A citizen's place in a session (table appointments).</summary>
public sealed class AppointmentRecord
{
    public Guid Id { get; set; }

    /// <summary>The citizen account that booked.</summary>
    public Guid AccountId { get; set; }

    public required string IdNumber { get; set; }

    public required string FullName { get; set; }

    public required string ProcedureCode { get; set; }

    public required string StationId { get; set; }

    public long SessionId { get; set; }

    /// <summary>An <see cref="AppointmentStatuses"/> code.</summary>
    public required string Status { get; set; }

    /// <summary>The procedure code while active, null once final: the one-active-per-procedure key.</summary>
    public string? ActiveProcedure { get; set; }

    /// <summary>The booking's request id (unique per account).</summary>
    public required string RequestId { get; set; }

    public DateTimeOffset? HoldExpiresAt { get; set; }

    public Guid? DossierId { get; set; }

    public string? DossierCode { get; set; }

    public DateTimeOffset BookedAt { get; set; }

    public DateTimeOffset? ConfirmedAt { get; set; }

    public DateTimeOffset? CheckedInAt { get; set; }

    public DateTimeOffset? CollectedAt { get; set; }

    /// <summary>When it became final (cancelled, expired, no-show, cancelled by the station).</summary>
    public DateTimeOffset? EndedAt { get; set; }

    public string? StationNote { get; set; }

    /// <summary>Session ids offered after the station moved the citizen out, JSON array.</summary>
    public string? Offered { get; set; }

    public long Version { get; set; }
}

/// <summary>The status codes stored in appointments.status.</summary>
public static class AppointmentStatuses
{
    public const string Held = "held";
    public const string Confirmed = "confirmed";
    public const string CheckedIn = "checked_in";
    public const string Collected = "collected";
    public const string Cancelled = "cancelled";
    public const string Expired = "expired";
    public const string NoShow = "no_show";
    public const string CancelledByStation = "cancelled_by_station";

    /// <summary>The statuses that hold a place and count as the citizen's active appointment.</summary>
    public static IReadOnlyList<string> Active { get; } = [Held, Confirmed, CheckedIn];
}

/// <summary>One change of an appointment after its booking (table appointment_changes); its request id makes retries find it.</summary>
public sealed class AppointmentChangeRecord
{
    public long Id { get; set; }

    public Guid AppointmentId { get; set; }

    /// <summary>The account that made it; null for jobs.</summary>
    public Guid? ActorId { get; set; }

    public string? RequestId { get; set; }

    /// <summary>An <see cref="AppointmentChangeKinds"/> code.</summary>
    public required string Kind { get; set; }

    public long? FromSessionId { get; set; }

    public long? ToSessionId { get; set; }

    public DateTimeOffset At { get; set; }
}

public static class AppointmentChangeKinds
{
    public const string Confirm = "confirm";
    public const string Reschedule = "reschedule";

    /// <summary>An appointment the station ended or the citizen missed, booked again for its dossier.</summary>
    public const string Rebook = "rebook";
    public const string Cancel = "cancel";
    public const string Expire = "expire";
    public const string CheckIn = "check_in";
    public const string Collect = "collect";
    public const string NoShow = "no_show";
    public const string CancelByStation = "cancel_by_station";
}
