using System.Text.Json;
using GrpcDvc.Grpc.Health;
using GrpcDvc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace GrpcDvc.Tests.Peers;

/// <summary>The official Node.js client (@grpc/grpc-js + proto-loader) against our server.</summary>
public sealed class NodeGrpcJsTests(InProcessServerFixture fixture) : IClassFixture<InProcessServerFixture>
{
    [Fact]
    public async Task RichError_NotFound_DecodesResourceInfoAndErrorInfo()
    {
        var result = await NodePeer.RunAsync(fixture.GrpcTarget, "rich_error");

        Assert.Equal("NOT_FOUND", result.GetProperty("status").GetString());
        var details = result.GetProperty("details").EnumerateArray().ToList();
        var resource = details.Single(d => d.GetProperty("type").GetString() == "google.rpc.ResourceInfo");
        Assert.Equal("NO-SUCH", resource.GetProperty("value").GetProperty("resourceName").GetString());
        var info = details.Single(d => d.GetProperty("type").GetString() == "google.rpc.ErrorInfo");
        Assert.Equal("PROCEDURE_NOT_FOUND", info.GetProperty("value").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task RichError_BadRequest_DecodesFieldViolations()
    {
        var result = await NodePeer.RunAsync(fixture.GrpcTarget, "rich_error_bad_request");

        Assert.Equal("INVALID_ARGUMENT", result.GetProperty("status").GetString());
        var badRequest = result.GetProperty("details").EnumerateArray()
            .Single(d => d.GetProperty("type").GetString() == "google.rpc.BadRequest");
        var fields = badRequest.GetProperty("value").GetProperty("fieldViolations").EnumerateArray()
            .Select(v => v.GetProperty("field").GetString());
        Assert.Contains("page.page_size", fields);
    }

    [Fact]
    public async Task Reflection_ListServices_NamesEveryServiceIncludingHealthAndReflection()
    {
        var result = await NodePeer.RunAsync(fixture.GrpcTarget, "reflection_list");

        var services = Names(result.GetProperty("services"));
        Assert.Contains("dvc.catalog.v1.CatalogService", services);
        Assert.Contains("grpc.health.v1.Health", services);
        Assert.Contains("grpc.reflection.v1.ServerReflection", services);
        Assert.Contains("grpc.reflection.v1alpha.ServerReflection", services);
    }

    [Fact]
    public async Task ReflectionV1Alpha_ListServices_AnswersLikeV1()
    {
        var v1 = Names((await NodePeer.RunAsync(fixture.GrpcTarget, "reflection_list")).GetProperty("services"));
        var alpha = Names((await NodePeer.RunAsync(fixture.GrpcTarget, "reflection_v1alpha_list")).GetProperty("services"));
        Assert.Equal(v1, alpha);
    }

    [Fact]
    public async Task Reflection_FileContainingSymbol_ReturnsTheFileAndItsImports()
    {
        var result = await NodePeer.RunAsync(fixture.GrpcTarget, "reflection_file_containing", "dvc.catalog.v1.CatalogService");

        var files = Names(result.GetProperty("files"));
        Assert.Equal("dvc/catalog/v1/catalog.proto", files[0]);
        Assert.Contains("dvc/common/v1/paging.proto", files);
        Assert.Contains("dvc/common/v1/types.proto", files);
        Assert.Contains("CatalogService", Names(result.GetProperty("services_in_first")));
        Assert.Contains("Procedure", Names(result.GetProperty("messages_in_first")));
    }

    [Fact]
    public async Task Reflection_UnknownSymbol_IsNotFoundErrorResponse()
    {
        var result = await NodePeer.RunAsync(fixture.GrpcTarget, "reflection_file_containing", "no.such.Symbol");
        Assert.Equal(5, result.GetProperty("error_code").GetInt32());
    }

    [Fact]
    public async Task HealthWatch_SeesTheStatusChange()
    {
        const string service = "dvc.catalog.v1.CatalogService";
        var monitor = fixture.Server.Services.GetRequiredService<HealthMonitor>();
        using var watcher = await NodePeer.StartAsync(fixture.GrpcTarget, "health_watch", service);
        try
        {
            // The peer says on stderr when the first status has arrived; only then flip it.
            var line = await watcher.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal("{\"watching\":true}", line);
            monitor.SetStatus(service, ServingStatus.NotServing);

            var result = await NodePeer.FinishAsync(watcher);
            Assert.Equal(["SERVING", "NOT_SERVING"], Names(result.GetProperty("statuses")));
        }
        finally
        {
            monitor.ClearStatus(service);
        }
    }

    private static List<string?> Names(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString())];
}
