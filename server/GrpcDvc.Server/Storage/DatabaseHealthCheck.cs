using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GrpcDvc.Server.Storage;

/// <summary>The database answers a query: what grpc.health.v1 reports as SERVING for the server.</summary>
public sealed class DatabaseHealthCheck(DvcDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The database cannot be reached.");
        }
#pragma warning disable CA1031 // Any failure to reach the database is an unhealthy result, not a crash of the check.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return HealthCheckResult.Unhealthy("The database cannot be reached.", ex);
        }
    }
}
