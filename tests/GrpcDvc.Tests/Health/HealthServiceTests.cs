using Grpc.Health.V1;
using GrpcDvc.Grpc;
using GrpcDvc.Grpc.Health;
using GrpcDvc.Grpc.Wire;
using GrpcDvc.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace GrpcDvc.Tests.Health;

public sealed class HealthServiceTests(InProcessServerFixture fixture) : IClassFixture<InProcessServerFixture>
{

    [Theory]
    [InlineData("")]
    [InlineData("dvc.catalog.v1.CatalogService")]
    [InlineData("grpc.health.v1.Health")]
    public async Task Check_ServedServiceWithDatabaseUp_IsServing(string service)
    {
        var response = await new HealthClient(fixture.Server.Channel).CheckAsync(new HealthCheckRequest { Service = service });
        Assert.Equal(ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Check_UnknownService_IsNotFound()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            new HealthClient(fixture.Server.Channel).CheckAsync(new HealthCheckRequest { Service = "no.such.Service" }));
        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task List_NamesTheServerAndEveryService()
    {
        var response = await new HealthClient(fixture.Server.Channel).ListAsync(new HealthListRequest());
        Assert.Contains(string.Empty, response.Statuses.Keys);
        Assert.Contains("dvc.catalog.v1.CatalogService", response.Statuses.Keys);
    }
}

/// <summary>HealthMonitor over real ASP.NET Core health checks, one of which the test can fail.</summary>
public sealed class HealthMonitorTests
{
    private static (HealthMonitor Monitor, Func<bool, bool> SetHealthy) Build()
    {
        var healthy = true;
        var services = new ServiceCollection()
            .AddLogging()
            .AddGrpcBinding(new ConfigurationBuilder().Build())
            .AddGrpcHealthAndReflection(new ConfigurationBuilder().AddInMemoryCollection(
                new Dictionary<string, string?> { ["PollInterval"] = "00:00:00" }).Build());
        services.AddHealthChecks().AddCheck("switch", () => healthy ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy());
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<GrpcServiceRegistry>().AddHealthAndReflection();
        return (provider.GetRequiredService<HealthMonitor>(), value => healthy = value);
    }

    [Fact]
    public async Task Status_FollowsTheHealthChecks()
    {
        var (monitor, setHealthy) = Build();
        Assert.Equal(ServingStatus.Serving, await monitor.GetStatusAsync(string.Empty, CancellationToken.None));

        setHealthy(false);
        Assert.Equal(ServingStatus.NotServing, await monitor.GetStatusAsync(string.Empty, CancellationToken.None));
        Assert.Equal(ServingStatus.NotServing, await monitor.GetStatusAsync("grpc.health.v1.Health", CancellationToken.None));
    }

    [Fact]
    public async Task StatusChange_CompletesTheChangedSignal()
    {
        var (monitor, setHealthy) = Build();
        await monitor.GetStatusAsync(string.Empty, CancellationToken.None);
        var changed = monitor.Changed;

        setHealthy(false);
        await monitor.GetStatusAsync(string.Empty, CancellationToken.None);

        Assert.True(changed.IsCompleted);
    }

    [Fact]
    public async Task ServerOverride_NotServing_AppliesToEveryService()
    {
        var (monitor, _) = Build();
        monitor.SetStatus(string.Empty, ServingStatus.NotServing);
        Assert.Equal(ServingStatus.NotServing, await monitor.GetStatusAsync("grpc.reflection.v1.ServerReflection", CancellationToken.None));

        monitor.ClearStatus(string.Empty);
        Assert.Equal(ServingStatus.Serving, await monitor.GetStatusAsync("grpc.reflection.v1.ServerReflection", CancellationToken.None));
    }

    [Fact]
    public async Task UnknownService_IsServiceUnknown()
    {
        var (monitor, _) = Build();
        Assert.Equal(ServingStatus.ServiceUnknown, await monitor.GetStatusAsync("nope.Nope", CancellationToken.None));
    }
}
