namespace GrpcDvc.Server.Access;

/// <summary>
/// Agency scope: an official acts only within their unit and the units under it. Services ask it
/// about one citizen at a time, giving the units the citizen resides in (any level), and refuse
/// the read with PERMISSION_DENIED (OUTSIDE_AGENCY_SCOPE) when it answers false.
/// </summary>
public interface IAgencyScope
{
    Task<bool> CoversAsync(string agencyUnitCode, IReadOnlyCollection<string> subjectUnitCodes, CancellationToken cancellationToken);

    /// <summary>
    /// The ids of every unit a subject may reside in for <paramref name="agencyUnitCode"/> to cover them
    /// (the unit, the units under it, and those merged into any of these), so a search can filter in
    /// the database by the same rule as <see cref="CoversAsync"/>; null when the unit covers the whole
    /// country; empty for a unit nobody knows.
    /// </summary>
    Task<IReadOnlyCollection<int>?> CoveredUnitIdsAsync(string agencyUnitCode, CancellationToken cancellationToken);
}
