namespace GrpcDvc.Server.Dossiers;

/// <summary>
/// One dossier (table dossiers). The columns are what queues, searches and the state machine need;
/// the rest of the submission (declared data, form, delivery choice, receipt, requests, result) is
/// the JSON document in <see cref="Details"/>, read whole with the dossier.
/// </summary>
public sealed class DossierRecord
{
    public Guid Id { get; set; }

    /// <summary>unit code-YYMMDD-NNNN, unique.</summary>
    public required string Code { get; set; }

    public required string ProcedureCode { get; set; }

    /// <summary>The competent unit (administrative_units.id), the key of agency scope.</summary>
    public int UnitId { get; set; }

    public required string UnitCode { get; set; }

    /// <summary>The citizen account that submitted.</summary>
    public Guid ApplicantAccountId { get; set; }

    public required string ApplicantIdNumber { get; set; }

    public required string ApplicantName { get; set; }

    /// <summary>A <see cref="DossierStatuses"/> code.</summary>
    public required string Status { get; set; }

    /// <summary>While a supplement is awaited: the status the supplement returns the dossier to.</summary>
    public string? ResumeStatus { get; set; }

    /// <summary>Incremented by every change; a change is a conditional update on it (one of two concurrent changes wins).</summary>
    public long Version { get; set; }

    /// <summary>The citizen's request id of the submission (unique per account): a retry finds the dossier.</summary>
    public required string SubmitRequestId { get; set; }

    public DateTimeOffset SubmittedAt { get; set; }

    /// <summary>When the statutory clock started (the next office session after an out-of-hours submission).</summary>
    public DateTimeOffset ClockStartedAt { get; set; }

    /// <summary>Null when the catalog gives the procedure no time.</summary>
    public DateTimeOffset? DueAt { get; set; }

    /// <summary>The clock stops so far, JSON [[fromMs, untilMs|null], …]; an open stop while a supplement is awaited.</summary>
    public required string ClockStops { get; set; }

    /// <summary>When the overdue sweep flagged it; null while on time.</summary>
    public DateTimeOffset? OverdueAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Level-3 identity cards: the collection station chosen.</summary>
    public string? StationId { get; set; }

    /// <summary>The submission and the outcomes as JSON (<see cref="DossierDetails"/>).</summary>
    public required string Details { get; set; }

    /// <summary>Events appended so far and the last one's hash: the anchor that makes a deleted last event visible.</summary>
    public long EventCount { get; set; }

    public required string HistoryHead { get; set; }
}

/// <summary>Who a dossier concerns, by personal ID number (table dossier_people): the auditors' search by citizen.</summary>
public sealed class DossierPersonRecord
{
    public Guid DossierId { get; set; }

    public required string IdNumber { get; set; }

    /// <summary>"applicant" or "concerned".</summary>
    public required string Role { get; set; }
}

/// <summary>One event of a dossier's history (table dossier_events): appended, never updated, hash-chained.</summary>
public sealed class DossierEventRecord
{
    public Guid DossierId { get; set; }

    /// <summary>1, 2, 3… within the dossier.</summary>
    public long Sequence { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>A <see cref="DossierActions"/> code.</summary>
    public required string Action { get; set; }

    /// <summary>Null for the submission.</summary>
    public string? FromStatus { get; set; }

    public required string ToStatus { get; set; }

    /// <summary>Null for the system's jobs.</summary>
    public Guid? ActorId { get; set; }

    public required string ActorName { get; set; }

    /// <summary>The role's name (RoleNames), "system" for jobs.</summary>
    public required string ActorRole { get; set; }

    public string? UnitCode { get; set; }

    public string? Reason { get; set; }

    /// <summary>Document names, JSON array.</summary>
    public required string Documents { get; set; }

    /// <summary>The caller's request id of the change: a retry finds this event (unique per dossier).</summary>
    public string? RequestId { get; set; }

    public required string PreviousHash { get; set; }

    public required string Hash { get; set; }
}

/// <summary>The last dossier number given by a unit on a day (table dossier_code_counters).</summary>
public sealed class DossierCodeCounterRecord
{
    public required string UnitCode { get; set; }

    /// <summary>yyyymmdd in Vietnam.</summary>
    public int Day { get; set; }

    public int LastNumber { get; set; }
}

/// <summary>One uploaded file (table attachments): the citizen's until a dossier takes it up.</summary>
public sealed class AttachmentRecord
{
    public Guid Id { get; set; }

    public Guid OwnerAccountId { get; set; }

    /// <summary>The client's id of the upload (unique per owner): a retried upload returns this one.</summary>
    public required string RequestId { get; set; }

    public required string FileName { get; set; }

    /// <summary>The type read from the bytes: application/pdf, image/jpeg or image/png.</summary>
    public required string ContentType { get; set; }

    public long Size { get; set; }

    /// <summary>Lowercase hex SHA-256: the key of the content (attachment_contents).</summary>
    public required string Sha256 { get; set; }

    public required string DocumentName { get; set; }

    public DateTimeOffset UploadedAt { get; set; }

    /// <summary>Null until a submission or supplement takes it up.</summary>
    public Guid? DossierId { get; set; }
}

/// <summary>A file's bytes, stored once however many attachments share them (table attachment_contents).</summary>
public sealed class AttachmentContentRecord
{
    public required string Sha256 { get; set; }

    public long Size { get; set; }

    /// <summary>The bytes on the embedded default; null when a directory or object store holds them.</summary>
    public byte[]? Content { get; set; }

    public DateTimeOffset StoredAt { get; set; }
}
