using Grpc.Core;
using Grpc.Health.V1;
using GrpcDvc.Tests.Support;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace GrpcDvc.Tests.Health;

/// <summary>grpc.health.v1 as Grpc.AspNetCore.HealthChecks serves it from the server's ASP.NET Core health checks.</summary>
public sealed class HealthServiceTests : IAsyncLifetime
{
    private InProcessServer _server = null!;

    private Grpc.Health.V1.Health.HealthClient Health => new(_server.Channel);

    public async Task InitializeAsync() => _server = await InProcessServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("")]
    [InlineData("dvc.catalog.v1.CatalogService")]
    [InlineData("dvc.population.v1.PopulationService")]
    public async Task Check_DatabaseUp_IsServing(string service)
    {
        var response = await Health.CheckAsync(new HealthCheckRequest { Service = service });
        Assert.Equal(ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Check_UnknownService_IsNotFound_WithTheMessageTheFrameworkLeavesOut()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => Health.CheckAsync(new HealthCheckRequest { Service = "no.such.Service" }).ResponseAsync);
        // grpc-dotnet's health service answers with an empty message; the StatusMessages interceptor fills it in.
        Assert.Equal((StatusCode.NotFound, "Not found."), (ex.StatusCode, ex.Status.Detail));
    }

    [Fact]
    public async Task Watch_AHealthCheckFailsAndRecovers_SeesNotServingThenServingOnOneStream()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var watch = Health.Watch(new HealthCheckRequest(), cancellationToken: cancel.Token);
        var seen = new List<ServingStatus>();

        await foreach (var update in watch.ResponseStream.ReadAllAsync(cancel.Token))
        {
            seen.Add(update.Status);
            if (seen.Count == 1)
            {
                _server.Health.Healthy = false;
            }
            else if (update.Status == ServingStatus.NotServing)
            {
                _server.Health.Healthy = true;
            }
            else if (seen.Contains(ServingStatus.NotServing))
            {
                break;
            }
        }

        Assert.Equal([ServingStatus.Serving, ServingStatus.NotServing, ServingStatus.Serving], seen);
        Assert.Equal(ServingStatus.Serving, (await Health.CheckAsync(new HealthCheckRequest())).Status);
    }
}
