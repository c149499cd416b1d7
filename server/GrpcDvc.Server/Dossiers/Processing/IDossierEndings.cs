using GrpcDvc.Server.Storage;

namespace GrpcDvc.Server.Dossiers.Processing;

/// <summary>
/// What a capability above dossiers holds for a dossier, released when the dossier ends before its
/// collection (withdrawn by the citizen, refused by the unit): an appointment's place at a station.
/// Declared here so Dossiers never names that capability; it runs inside the change's transaction, so
/// the release commits with the dossier's event or not at all.
/// </summary>
public interface IDossierEndings
{
    Task EndedAsync(DvcDbContext db, Guid dossierId, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>The default when nothing above dossiers holds anything for them.</summary>
public sealed class NothingHeldForDossiers : IDossierEndings
{
    public Task EndedAsync(DvcDbContext db, Guid dossierId, DateTimeOffset now, CancellationToken cancellationToken) => Task.CompletedTask;
}
