using System.Text.Json;
using Grpc.Core;
using GrpcDvc.Contracts.Catalog.V1;
using GrpcDvc.Tests.Support;
using Xunit.Abstractions;

namespace GrpcDvc.Tests.Peers;

/// <summary>The server as a separate process, started the way the README starts it.</summary>
public sealed class ServerProcessFixture : IAsyncLifetime
{
    public ServerProcess Server { get; private set; } = null!;

    public string DescriptorSet { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ServerProcess.StartAsync();
        DescriptorSet = DescriptorSets.Write(CatalogReflection.Descriptor);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        File.Delete(DescriptorSet);
    }
}

/// <summary>Python grpcio (Debian's python3-grpcio), a client nobody here wrote, against the server process.</summary>
public sealed class PythonGrpcioTests(ServerProcessFixture fixture, ITestOutputHelper output) : IClassFixture<ServerProcessFixture>
{
    private Task<JsonElement> RunAsync(params string[] scenario)
        => PythonPeer.RunAsync(fixture.Server.GrpcTarget, fixture.DescriptorSet, scenario);

    [Fact]
    public async Task ListProcedures_PagedBy10_ReturnsAll35()
    {
        output.WriteLine($"server process start-up: {fixture.Server.StartupTime.TotalMilliseconds:F0} ms");
        var result = await RunAsync("list_all", "10");

        Assert.Equal("OK", result.GetProperty("status").GetString());
        var codes = result.GetProperty("codes").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Equal(35, codes.Count);
        Assert.Equal(35, codes.Distinct().Count());
        Assert.Equal(4, result.GetProperty("pages").GetInt32());
        Assert.Equal(35, result.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task ListProcedures_WithoutDiacritics_FindsSealProcedures()
    {
        var result = await RunAsync("list_all", "50", "con dau");
        var codes = result.GetProperty("codes").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Equal(["BCA-L4-25", "BCA-L4-26", "BCA-L4-27", "BCA-L4-28", "BCA-L4-29"], codes);
    }

    [Fact]
    public async Task GetProcedure_ReturnsVietnameseNameIntact()
    {
        var result = await RunAsync("get", "BCA-L4-03");
        Assert.Equal("Đăng ký tạm trú thực hiện tại Công an cấp xã", result.GetProperty("name_vi").GetString());
        Assert.Equal(3, result.GetProperty("processing_amount").GetDouble());
    }

    [Fact]
    public async Task GetProcedure_UnknownCode_IsNotFoundWithDetails()
    {
        var result = await RunAsync("get", "NO-SUCH");
        Assert.Equal("NOT_FOUND", result.GetProperty("status").GetString());
        Assert.True(result.GetProperty("has_status_details").GetBoolean());
    }

    [Fact]
    public async Task UnknownMethod_IsUnimplemented()
    {
        var result = await RunAsync("raw", "/dvc.catalog.v1.CatalogService/DeleteEverything");
        Assert.Equal("UNIMPLEMENTED", result.GetProperty("status").GetString());
    }

    [Fact]
    public async Task UnknownService_IsUnimplemented()
    {
        var result = await RunAsync("raw", "/dvc.nothing.v1.Nothing/Call");
        Assert.Equal("UNIMPLEMENTED", result.GetProperty("status").GetString());
    }

    [Fact]
    public async Task MalformedFrame_IsInternal()
    {
        // grpcio cannot be made to send a broken frame, so .NET's HTTP/2 client sends it raw.
        var response = await RawGrpc.PostAsync(new Uri($"http://{fixture.Server.GrpcTarget}"),
            "/dvc.catalog.v1.CatalogService/ListProcedures", [0, 0, 0, 0, 50, 1, 2]);
        Assert.Equal(StatusCode.Internal, response.GrpcStatus);
    }

    [Fact]
    public async Task WrongContentType_Is415()
    {
        var response = await RawGrpc.PostAsync(new Uri($"http://{fixture.Server.GrpcTarget}"),
            "/dvc.catalog.v1.CatalogService/ListProcedures", [0, 0, 0, 0, 0], "application/json");
        Assert.Equal(415, response.HttpStatus);
    }
}
