using Grpc.Core;
using GrpcDvc.Contracts.Identity.V1;
using GrpcDvc.Server.Access;

namespace GrpcDvc.Server.Identity;

/// <summary>
/// Administrators' changes to officials. The policy lets only administrators in; the scope (the
/// official's unit under the administrator's), the self rules and the audit are
/// <see cref="Officials.OfficialChanges"/>'s.
/// </summary>
public sealed partial class IdentityGrpcService
{
    public override async Task<SetOfficialRolesResponse> SetOfficialRoles(SetOfficialRolesRequest request, ServerCallContext context)
    {
        var changed = await officialChanges.SetRolesAsync(
            context.GetCaller(), OfficialId(request.OfficialId), [.. request.Roles], IdentityMapping.Client(context), context.CancellationToken);
        var official = changed.OrThrow();
        // The official's sessions have just been revoked: their access tokens stop at the next check here.
        revoked.MarkStale();
        return new SetOfficialRolesResponse { Official = IdentityMapping.ToMessage(official) };
    }

    public override async Task<DisableOfficialResponse> DisableOfficial(DisableOfficialRequest request, ServerCallContext context)
    {
        var changed = await officialChanges.SetDisabledAsync(
            context.GetCaller(), OfficialId(request.OfficialId), disabled: true, IdentityMapping.Client(context), context.CancellationToken);
        var official = changed.OrThrow();
        revoked.MarkStale();
        return new DisableOfficialResponse { Official = IdentityMapping.ToMessage(official) };
    }

    public override async Task<EnableOfficialResponse> EnableOfficial(EnableOfficialRequest request, ServerCallContext context)
    {
        var changed = await officialChanges.SetDisabledAsync(
            context.GetCaller(), OfficialId(request.OfficialId), disabled: false, IdentityMapping.Client(context), context.CancellationToken);
        return new EnableOfficialResponse { Official = IdentityMapping.ToMessage(changed.OrThrow()) };
    }

    public override async Task<ReenrolOfficialTotpResponse> ReenrolOfficialTotp(ReenrolOfficialTotpRequest request, ServerCallContext context)
    {
        var changed = await officialChanges.ReenrolTotpAsync(
            context.GetCaller(), OfficialId(request.OfficialId), request.ClientRequestId, IdentityMapping.Client(context), context.CancellationToken);
        var enrolled = changed.OrThrow();
        revoked.MarkStale();
        return new ReenrolOfficialTotpResponse { OfficialId = enrolled.OfficialId.ToString("D"), TotpProvisioningUri = enrolled.TotpUri };
    }

    private static Guid OfficialId(string value)
    {
        if (!Guid.TryParse(value.Trim(), out var id))
        {
            IdentityErrors.Throw(IdentityFailure.Invalid(IdentityReasons.OfficialIdInvalid, "official_id", "The official's account id (a UUID, as CreateOfficial returned it) is required."));
        }

        return id;
    }
}
