using GrpcDvc.Contracts.Auth.V1;

namespace GrpcDvc.Server.Access;

/// <summary>Whom an access token speaks for: what the authorization interceptor decides on.</summary>
/// <param name="AccountId">The "sub" of the token.</param>
/// <param name="AgencyUnit">Officials only: the unit they act for.</param>
/// <param name="IdNumber">Citizens only: their ID number (policy citizen_self compares it).</param>
/// <param name="SessionId">The sign-in session (refresh-token family) the token belongs to.</param>
/// <param name="AssuranceLevel">Citizens: 0 for the SMS flow, 1 or 2 from a VNeID-style assertion.</param>
public sealed record CallerIdentity(
    Guid AccountId,
    AccountKind Kind,
    IReadOnlyList<Role> Roles,
    string? AgencyUnit,
    string? IdNumber,
    Guid SessionId,
    int AssuranceLevel)
{
    public bool HasRole(Role role) => Roles.Contains(role);

    public bool HasAnyRole(IEnumerable<Role> roles) => roles.Any(Roles.Contains);
}
