namespace GrpcDvc.Admin;

/// <summary>Placeholder for the admin console: officials, station managers and auditors (a later issue).</summary>
public static class AdminConsole
{
    public const string Name = "GrpcDvc admin console";
}
