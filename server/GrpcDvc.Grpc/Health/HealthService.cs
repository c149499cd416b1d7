using Grpc.Health.V1;
using GrpcDvc.Grpc.Wire;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace GrpcDvc.Grpc.Health;

/// <summary>grpc.health.v1.Health per grpc/grpc doc/health-checking.md.</summary>
public sealed class HealthService(HealthMonitor monitor)
{
    public async Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context)
    {
        var status = await monitor.GetStatusAsync(request.Service, context.CancellationToken);
        return status == ServingStatus.ServiceUnknown
            ? throw new RpcException(StatusCode.NotFound, $"Service '{request.Service}' is not served here.")
            : new HealthCheckResponse { Status = status };
    }

    public async Task<HealthListResponse> List(HealthListRequest request, ServerCallContext context)
    {
        var response = new HealthListResponse();
        foreach (var (service, status) in await monitor.GetAllAsync(context.CancellationToken))
        {
            response.Statuses[service] = new HealthCheckResponse { Status = status };
        }

        return response;
    }

    /// <summary>Sends the status now and again at every change, until the client goes away.</summary>
    public async Task Watch(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responseStream, ServerCallContext context)
    {
        var token = context.CancellationToken;
        ServingStatus? sent = null;
        while (!token.IsCancellationRequested)
        {
            var changed = monitor.Changed;
            var status = await monitor.GetStatusAsync(request.Service, token);
            if (status != sent)
            {
                await responseStream.WriteAsync(new HealthCheckResponse { Status = status }, token);
                sent = status;
            }

            // Wake on an explicit change, or re-check when the poll interval has passed.
            await Task.WhenAny(changed, Task.Delay(monitor.PollInterval, token));
        }
    }
}
