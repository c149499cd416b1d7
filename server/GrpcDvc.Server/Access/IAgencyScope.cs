namespace GrpcDvc.Server.Access;

/// <summary>
/// Agency scope: an official acts only within their unit and the units under it. Services ask it
/// about one citizen at a time, giving the units the citizen resides in (any level), and refuse
/// the read with PERMISSION_DENIED (OUTSIDE_AGENCY_SCOPE) when it answers false.
/// </summary>
public interface IAgencyScope
{
    Task<bool> CoversAsync(string agencyUnitCode, IReadOnlyCollection<string> subjectUnitCodes, CancellationToken cancellationToken);
}
