using Grpc.Core;
using GrpcDvc.Contracts.Identity.V1;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Contracts.Common.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity.Officials;
using GrpcDvc.Server.Listing;

namespace GrpcDvc.Server.Identity;

/// <summary>
/// Administrators' changes to officials. The policy lets only administrators in; the scope (the
/// official's unit under the administrator's), the self rules and the audit are
/// <see cref="Officials.OfficialChanges"/>'s.
/// </summary>
public sealed partial class IdentityGrpcService
{
    public override async Task<ListOfficialsResponse> ListOfficials(ListOfficialsRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var unit = request.AgencyCode.Trim();
        if (unit.Length == 0)
        {
            unit = caller.AgencyUnit ?? string.Empty;
        }
        else
        {
            await context.EnsureWithinAgencyAsync(agencyScope, [unit]);
        }

        if (request.Page?.PageSize < 0)
        {
            IdentityErrors.Throw(IdentityFailure.Invalid(PageSize.NegativeReason, "page.page_size", "Must not be negative."));
        }

        if (request.Role != Role.Unspecified && !Enum.IsDefined(request.Role))
        {
            IdentityErrors.Throw(IdentityFailure.Invalid(IdentityReasons.RoleInvalid, "role", "Not a role of the contract."));
        }

        var filter = new OfficialFilter(unit, request.Role == Role.Unspecified ? null : request.Role, request.IncludeDisabled);
        string? after = null;
        if (request.Page?.PageToken is { Length: > 0 } token && (after = PageToken.TryRead(token, filter.Fingerprint)) is null)
        {
            IdentityErrors.Throw(IdentityFailure.Invalid(IdentityReasons.PageTokenInvalid, "page.page_token", "Not a page token of this listing (a token is tied to its filter)."));
        }

        var page = await directory.ListAsync(filter, after, PageSize.Clamp(request.Page?.PageSize ?? 0), context.CancellationToken);
        return new ListOfficialsResponse
        {
            Officials = { page.Officials.Select(IdentityMapping.ToMessage) },
            Page = new PageInfo { TotalSize = page.Total, NextPageToken = page.After is { } next ? PageToken.Create(next, filter.Fingerprint) : string.Empty },
        };
    }

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
