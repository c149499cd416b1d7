using GrpcDvc.Grpc.Wire;
using GrpcDvc.Tests.Probe;
using GrpcDvc.Tests.Support;

namespace GrpcDvc.Tests.Grpc;

/// <summary>Request compression on the wire, per grpc/grpc doc/compression.md and PROTOCOL-HTTP2.md.</summary>
public sealed class CompressionWireTests(InProcessServerFixture fixture) : IClassFixture<InProcessServerFixture>
{
    private const string Echo = "/dvc.testing.v1.ProbeService/Echo";

    [Fact]
    public async Task UnsupportedEncoding_IsUnimplemented_AndListsWhatIsAccepted()
    {
        var response = await RawGrpc.PostAsync(fixture.Server.GrpcAddress, Echo,
            GrpcFrames.Gzipped(new EchoRequest { Text = "nén" }), headers: Headers(("grpc-encoding", "br")));

        Assert.Equal(StatusCode.Unimplemented, response.GrpcStatus);
        Assert.True(response.IsTrailersOnly);
        var accepted = Compression.ParseAccepted(response.Headers.GetValueOrDefault("grpc-accept-encoding"));
        Assert.Contains("gzip", accepted);
        Assert.Contains("identity", accepted);
        Assert.DoesNotContain("br", accepted);
    }

    [Fact]
    public async Task CompressedFlag_WithoutGrpcEncoding_IsInternal()
    {
        var response = await RawGrpc.PostAsync(fixture.Server.GrpcAddress, Echo, GrpcFrames.Gzipped(new EchoRequest { Text = "nén" }));

        Assert.Equal(StatusCode.Internal, response.GrpcStatus);
        Assert.Contains("grpc-encoding", response.GrpcMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompressedFlag_WithIdentityEncoding_IsInternal()
    {
        var response = await RawGrpc.PostAsync(fixture.Server.GrpcAddress, Echo,
            GrpcFrames.Gzipped(new EchoRequest { Text = "nén" }), headers: Headers(("grpc-encoding", "identity")));

        Assert.Equal(StatusCode.Internal, response.GrpcStatus);
    }

    [Fact]
    public async Task CompressedFlag_WithGzipEncoding_IsDecompressed()
    {
        var response = await RawGrpc.PostAsync(fixture.Server.GrpcAddress, Echo,
            GrpcFrames.Gzipped(new EchoRequest { Text = "nén" }), headers: Headers(("grpc-encoding", "gzip")));

        Assert.Equal(StatusCode.OK, response.GrpcStatus);
        var message = Assert.Single(await GrpcFrames.SplitAsync(response.Body));
        Assert.Equal("nén", EchoResponse.Parser.ParseFrom(message.Payload).Text);
    }

    private static Dictionary<string, string> Headers(params (string Name, string Value)[] headers)
        => headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.Ordinal);
}
