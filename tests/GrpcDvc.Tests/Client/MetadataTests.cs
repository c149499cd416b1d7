using GrpcDvc.Client;
using GrpcDvc.Grpc;
using GrpcDvc.Grpc.Wire;
using GrpcDvc.Tests.Probe;

namespace GrpcDvc.Tests.Client;

/// <summary>Custom metadata in both directions, text and binary, and the per-call credentials hook.</summary>
public sealed class MetadataTests(ProbeServerFixture fixture) : IClassFixture<ProbeServerFixture>
{
    private static readonly byte[] Blob = [0x00, 0xAB, 0xFF, 0x10, 0x7F];

    [Fact]
    public async Task RequestMetadata_TextAndBinary_ComeBackAsHeadersAndTrailers()
    {
        var headers = new Metadata { { "x-trace-id", "hs-2024-000123" }, { "x-blob-bin", Blob } };
        using var call = fixture.Server.Channel.AsyncUnaryCall(
            ProbeServiceClient.Methods.Inspect, new InspectRequest(), new CallOptions { Headers = headers });

        await call;
        var responseHeaders = await call.ResponseHeadersAsync;
        var trailers = call.GetTrailers();

        Assert.Equal("hs-2024-000123", responseHeaders.GetValue("x-trace-id"));
        Assert.Equal(Blob, responseHeaders.GetValueBytes("x-blob-bin"));
        Assert.Equal("hs-2024-000123", trailers.GetValue("x-trace-id"));
        Assert.Equal(Blob, trailers.GetValueBytes("x-blob-bin"));
    }

    [Fact]
    public async Task ResponseHeaders_LeaveOutTheProtocolsOwnHeaders()
    {
        using var call = fixture.Server.Channel.AsyncUnaryCall(ProbeServiceClient.Methods.Inspect, new InspectRequest());
        await call;

        var headers = await call.ResponseHeadersAsync;
        Assert.DoesNotContain(headers, e => e.Key.StartsWith("grpc-", StringComparison.Ordinal) || e.Key == "content-type");
        Assert.DoesNotContain(call.GetTrailers(), e => e.Key.StartsWith("grpc-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChannelCredentials_AddMetadataToEveryCall_AndPerCallCredentialsAddMore()
    {
        var seen = new List<AuthInterceptorContext>();
        using var channel = fixture.NewChannel(new GrpcChannelOptions
        {
            Credentials = (context, metadata) =>
            {
                seen.Add(context);
                metadata.Add("x-authorization", "Bearer token-of-the-channel");
                return Task.CompletedTask;
            },
        });
        var probe = new ProbeServiceClient(channel);

        using var call = channel.AsyncUnaryCall(ProbeServiceClient.Methods.Inspect, new InspectRequest(), new CallOptions
        {
            Credentials = async (_, metadata) =>
            {
                await Task.Yield();
                metadata.Add("x-on-behalf-of", "079201000001");
            },
        });
        await call;
        var headers = await call.ResponseHeadersAsync;

        Assert.Equal("Bearer token-of-the-channel", headers.GetValue("x-authorization"));
        Assert.Equal("079201000001", headers.GetValue("x-on-behalf-of"));
        var context = Assert.Single(seen);
        Assert.Equal("Inspect", context.MethodName);
        Assert.Equal($"{fixture.Server.GrpcAddress.GetLeftPart(UriPartial.Authority)}/dvc.testing.v1.ProbeService", context.ServiceUrl);
    }

    [Fact]
    public async Task Credentials_ThatFail_EndTheCallUnavailable()
    {
        using var channel = fixture.NewChannel(new GrpcChannelOptions
        {
            Credentials = (_, _) => throw new InvalidOperationException("token endpoint down"),
        });

        var ex = await Assert.ThrowsAsync<RpcException>(() => new ProbeServiceClient(channel).EchoAsync(new EchoRequest()));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Contains("token endpoint down", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("grpc-timeout")]
    [InlineData("content-type")]
    [InlineData("te")]
    public void RequestMetadata_WithAProtocolName_IsRefusedBeforeSending(string key)
    {
        var headers = new Metadata { { key, "1" } };
        Assert.Throws<ArgumentException>(() =>
            fixture.Server.Channel.AsyncUnaryCall(ProbeServiceClient.Methods.Echo, new EchoRequest(), new CallOptions { Headers = headers }));
    }
}
