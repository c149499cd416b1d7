namespace GrpcDvc.Server.Access;

/// <summary>
/// Whether an official's agency unit may act on a subject located in some administrative units
/// (policy agency_scoped: an official acts only within their unit and the units under it).
/// </summary>
public interface IAgencyScope
{
    Task<bool> CoversAsync(string agencyUnitCode, IReadOnlyCollection<string> subjectUnitCodes, CancellationToken cancellationToken);
}
