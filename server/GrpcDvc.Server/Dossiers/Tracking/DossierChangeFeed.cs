namespace GrpcDvc.Server.Dossiers.Tracking;

/// <summary>The in-process announcements of committed changes that WatchDossier listens to (not built yet: announces to no one).</summary>
public sealed class DossierChangeFeed : IDossierChanges
{
    public void Changed(string dossierCode)
    {
    }
}
