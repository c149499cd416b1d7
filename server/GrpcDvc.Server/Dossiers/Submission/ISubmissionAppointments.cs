using GrpcDvc.Server.Storage;

namespace GrpcDvc.Server.Dossiers.Submission;

/// <summary>
/// What SubmitDossier needs from appointments, declared here so Dossiers never names Appointments
/// (which sits above it and implements this). A level-3 identity-card dossier confirms the citizen's
/// hold: <see cref="PlaceAsync"/> before the dossier's transaction says where the dossier goes (the
/// station and its unit) and refuses a hold that cannot be confirmed with a clear reason;
/// <see cref="ConfirmAsync"/> inside the transaction decides, by one conditional update, so a hold
/// that expired or was cancelled in between rolls the dossier back with it.
/// </summary>
public interface ISubmissionAppointments
{
    /// <summary>The held appointment's station and unit; FAILED_PRECONDITION or NOT_FOUND when it cannot be confirmed.</summary>
    Task<AppointmentPlace> PlaceAsync(Guid appointmentId, Guid accountId, string procedureCode, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Confirms the hold in the caller's transaction on <paramref name="db"/>; throws FAILED_PRECONDITION when it is no longer the caller's unexpired hold.</summary>
    Task ConfirmAsync(DvcDbContext db, AppointmentConfirmation confirmation, CancellationToken cancellationToken);
}

/// <summary>Where a confirmed appointment sends its dossier: the station and the police unit it belongs to.</summary>
public sealed record AppointmentPlace(string StationId, int UnitId, DateTimeOffset StartsAt);

/// <summary>The hold to confirm and the dossier confirming it.</summary>
public sealed record AppointmentConfirmation(
    Guid AppointmentId, Guid AccountId, string ProcedureCode, Guid DossierId, string DossierCode, string RequestId, DateTimeOffset Now);
