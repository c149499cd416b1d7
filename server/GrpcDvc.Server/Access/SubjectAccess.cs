using Grpc.Core;

namespace GrpcDvc.Server.Access;

/// <summary>
/// The half of authorization only a service can do, once it knows whose data a call touches:
/// a citizen only their own record (policy citizen_self), an official only subjects within their
/// unit and the units under it (policy agency_scoped). The gate has already checked the roles.
/// </summary>
public static class SubjectAccess
{
    /// <summary>
    /// Throws PERMISSION_DENIED unless the caller may act on the citizen <paramref name="subjectIdNumber"/>,
    /// who is registered in <paramref name="subjectUnitCodes"/> (their permanent, temporary and current
    /// residence units): NOT_OWN_RECORD for a citizen on another's record where the rpc's policy is
    /// citizen_self, OUTSIDE_AGENCY for an official where it is agency_scoped.
    /// </summary>
    public static async Task EnsureMayActOnAsync(
        this ServerCallContext context, IAgencyScope scope, string subjectIdNumber, IReadOnlyCollection<string> subjectUnitCodes)
    {
        var caller = context.GetCaller();
        var policy = context.GetHttpContext().RequestServices.GetRequiredService<MethodRules>().For(context).Policy;
        if (caller.Kind == AccountKind.Citizen)
        {
            // Without citizen_self (information extraction), a citizen may ask about others on a
            // legal basis or with consent: that rule is the service's.
            if (policy is { CitizenSelf: true } && !string.Equals(caller.IdNumber, subjectIdNumber, StringComparison.Ordinal))
            {
                throw AccessErrors.PermissionDenied(AccessReasons.NotOwnRecord, "A citizen may act only on their own record.");
            }

            return;
        }

        if (policy is { AgencyScoped: true } && !await CoversAsync(scope, caller, subjectUnitCodes, context.CancellationToken))
        {
            throw AccessErrors.PermissionDenied(AccessReasons.OutsideAgency, "This citizen is outside your agency unit and the units under it.");
        }
    }

    /// <summary>Whether an official may act on something located in one of <paramref name="unitCodes"/> (e.g. a new official's unit).</summary>
    public static async Task EnsureWithinAgencyAsync(this ServerCallContext context, IAgencyScope scope, IReadOnlyCollection<string> unitCodes)
    {
        var caller = context.GetCaller();
        if (!await CoversAsync(scope, caller, unitCodes, context.CancellationToken))
        {
            throw AccessErrors.PermissionDenied(AccessReasons.OutsideAgency, "This is outside your agency unit and the units under it.");
        }
    }

    private static async Task<bool> CoversAsync(IAgencyScope scope, CallerIdentity caller, IReadOnlyCollection<string> unitCodes, CancellationToken cancellationToken)
        => caller.AgencyUnit is { Length: > 0 } unit && await scope.CoversAsync(unit, unitCodes, cancellationToken);
}
