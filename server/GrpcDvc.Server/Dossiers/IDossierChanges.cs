namespace GrpcDvc.Server.Dossiers;

/// <summary>
/// Where a committed change of a dossier is announced, so WatchDossier can push it. Called after
/// the transaction commits (never before: a watcher must not see a change that rolls back). The
/// watch side also rereads on its own, so a lost announcement (another instance made the change)
/// only delays an update.
/// </summary>
public interface IDossierChanges
{
    void Changed(string dossierCode);
}
