using System.Text.Json;
using GrpcDvc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

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
        var health = fixture.Server.Health;
        using var watcher = await NodePeer.StartAsync(fixture.GrpcTarget, "health_watch", service);
        try
        {
            // The peer says on stderr when the first status has arrived; only then flip it.
            var line = await watcher.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal("{\"watching\":true}", line);
            health.Healthy = false; // the server's health checks fail, so every service turns NOT_SERVING

            var result = await NodePeer.FinishAsync(watcher);
            Assert.Equal(["SERVING", "NOT_SERVING"], Names(result.GetProperty("statuses")));
        }
        finally
        {
            health.Healthy = true;
        }
    }

    [Fact]
    public async Task SpecialStatusMessage_WithWhitespaceAndNonBmpCharacters_ArrivesUnchanged()
    {
        // interop-test-descriptions.md "special_status_message": the peer asks TestService/UnaryCall
        // to fail with UNKNOWN and this message; percent-encoding must carry it through intact.
        const string expected = "\t\ntest with whitespace\r\nand Unicode BMP \u263A and non-BMP \U0001F608\t\n";

        var result = await NodePeer.RunAsync(fixture.GrpcTarget, "special_status");

        Assert.Equal("UNKNOWN", result.GetProperty("status").GetString());
        Assert.Equal(2, result.GetProperty("code").GetInt32());
        Assert.Equal(expected, result.GetProperty("details").GetString());
    }

    [Fact]
    public async Task GzipResponse_AskedForCompressedResponse_NodeDecodesTheGzippedMessage()
    {
        // The peer gzips its request (grpc-js advertises identity,deflate,gzip) and asks for a
        // compressed response of 314159 bytes; it reports what grpc-js's compression filter saw.
        var result = await NodePeer.RunAsync(fixture.GrpcTarget, "gzip_response");

        Assert.Equal("OK", result.GetProperty("status").GetString());
        Assert.Equal("gzip", result.GetProperty("request_encoding").GetString());
        Assert.Equal("gzip", result.GetProperty("response_encoding").GetString());
        Assert.True(result.GetProperty("response_compressed").GetBoolean(), "the response frame's compressed flag was not set");
        Assert.Equal(314159, result.GetProperty("payload_length").GetInt32());
    }

    private static List<string?> Names(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString())];
}
