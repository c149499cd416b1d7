using Grpc.Core;
using GrpcDvc.Server.Access;
using GrpcDvc.Tests.Probe;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Support;

/// <summary>Handlers of the test-only dvc.testing.v1.AccessProbeService: a service as thin as the real ones.</summary>
public sealed class TestAccessProbeService : AccessProbeService.AccessProbeServiceBase
{
    public override Task<WhoIsCallingResponse> WhoIsCalling(WhoIsCallingRequest request, ServerCallContext context)
        => Task.FromResult(Describe(context.TryGetCaller()));

    public override async Task<WhoIsCallingResponse> ReadRecord(ReadRecordRequest request, ServerCallContext context)
    {
        var scope = context.GetHttpContext().RequestServices.GetRequiredService<IAgencyScope>();
        await context.EnsureMayActOnAsync(scope, request.IdNumber, [.. request.UnitCodes]);
        return Describe(context.GetCaller());
    }

    public override Task<WhoIsCallingResponse> Unguarded(WhoIsCallingRequest request, ServerCallContext context)
        => Task.FromResult(Describe(context.TryGetCaller()));

    private static WhoIsCallingResponse Describe(CallerIdentity? caller)
    {
        var response = new WhoIsCallingResponse();
        if (caller is not null)
        {
            response.AccountId = caller.AccountId.ToString("D");
            response.Roles.AddRange(caller.Roles.Select(RoleNames.Name));
            response.AgencyUnit = caller.AgencyUnit ?? "";
        }

        return response;
    }
}
