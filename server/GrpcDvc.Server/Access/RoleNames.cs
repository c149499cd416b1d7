using GrpcDvc.Contracts.Auth.V1;

namespace GrpcDvc.Server.Access;

/// <summary>
/// The spelling of each role inside tokens and the database. Written out, not derived from the
/// C# enum names, so renaming generated code never invalidates tokens or stored rows.
/// </summary>
public static class RoleNames
{
    private static readonly Dictionary<Role, string> Names = new()
    {
        [Role.Citizen] = "citizen",
        [Role.IntakeOfficer] = "intake_officer",
        [Role.ProcessingOfficer] = "processing_officer",
        [Role.ApprovingLeader] = "approving_leader",
        [Role.StationManager] = "station_manager",
        [Role.Auditor] = "auditor",
        [Role.Administrator] = "administrator",
    };

    private static readonly Dictionary<string, Role> Roles = Names.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    /// <summary>The roles an administrator may give an official (every role but citizen).</summary>
    public static IReadOnlyList<Role> OfficialRoles { get; } = [.. Names.Keys.Where(r => r != Role.Citizen)];

    public static string Name(Role role)
        => Names.TryGetValue(role, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(role), role, "Not a known role.");

    public static bool TryParse(string name, out Role role) => Roles.TryGetValue(name, out role);
}
