using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GrpcDvc.Tests.Support;

/// <summary>
/// A health check beside the database check that a test turns unhealthy, to watch grpc.health.v1 (and
/// anything built on it) follow a real change of the server's ASP.NET Core health checks.
/// </summary>
public sealed class HealthSwitch : IHealthCheck
{
    private volatile bool _healthy = true;

    public bool Healthy
    {
        get => _healthy;
        set => _healthy = value;
    }

    public static void Register(IServiceCollection services)
    {
        services.AddSingleton<HealthSwitch>();
        services.AddHealthChecks().AddCheck<HealthSwitch>("test-switch");
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(_healthy ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("switched off by a test"));
}
