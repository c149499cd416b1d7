using Google.Protobuf;
using GrpcDvc.Client;
using GrpcDvc.Grpc;
using GrpcDvc.Grpc.Wire;
using GrpcDvc.Tests.Probe;
using static GrpcDvc.Tests.Client.ProbeServerFixture;

namespace GrpcDvc.Tests.Client;

/// <summary>Message compression (grpc/grpc doc/compression.md) in both directions.</summary>
public sealed class CompressionTests(ProbeServerFixture fixture) : IClassFixture<ProbeServerFixture>
{
    private static readonly ByteString Zeros = ByteString.CopyFrom(new byte[100_000]);

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    public async Task RequestCompression_IsOnTheWire_AndTheServerDecodesIt(string algorithm)
    {
        var wire = new WireRecorder();
        using var channel = fixture.NewChannel(new GrpcChannelOptions { HttpHandler = wire });

        var response = await new ProbeServiceClient(channel).InspectAsync(
            new InspectRequest { Payload = Zeros }, new CallOptions { CompressionAlgorithm = algorithm });

        Assert.Equal(algorithm, wire.RequestHeader("grpc-encoding"));
        Assert.Equal(1, wire.RequestBody[0]);
        Assert.True(wire.RequestBody.Length < 10_000, $"a compressed body of zeros, got {wire.RequestBody.Length} bytes");
        Assert.Equal(algorithm, response.RequestEncoding);
        Assert.Equal(Zeros, response.Payload);
    }

    [Fact]
    public async Task AcceptEncoding_IsAlwaysSent()
    {
        var wire = new WireRecorder();
        using var channel = fixture.NewChannel(new GrpcChannelOptions { HttpHandler = wire });

        await new ProbeServiceClient(channel).EchoAsync(new EchoRequest());

        Assert.Equal("gzip,deflate,identity", wire.RequestHeader("grpc-accept-encoding"));
        Assert.Null(wire.RequestHeader("grpc-encoding"));
        Assert.Equal(0, wire.RequestBody[0]);
    }

    [Fact]
    public async Task ChannelDefault_CompressesStreamedRequests_AndNoCompressSkipsSome()
    {
        using var channel = fixture.NewChannel(new GrpcChannelOptions { CompressionAlgorithm = Compression.Gzip });
        using var call = new ProbeServiceClient(channel).Collect();

        await Guard(call.RequestStream.WriteAsync(new EchoRequest { Text = "nén " }));
        call.RequestStream.WriteOptions = new WriteOptions(NoCompress: true);
        await Guard(call.RequestStream.WriteAsync(new EchoRequest { Text = "không nén " }));
        call.RequestStream.WriteOptions = null;
        await Guard(call.RequestStream.WriteAsync(new EchoRequest { Text = "nén" }));
        await call.RequestStream.CompleteAsync();

        Assert.Equal("nén không nén nén", (await Guard(call.ResponseAsync)).Text);
    }

    [Fact]
    public async Task PerCallIdentity_OverridesTheChannelDefault()
    {
        using var channel = fixture.NewChannel(new GrpcChannelOptions { CompressionAlgorithm = Compression.Gzip });

        var response = await new ProbeServiceClient(channel).InspectAsync(
            new InspectRequest(), new CallOptions { CompressionAlgorithm = Compression.Identity });

        Assert.Equal(string.Empty, response.RequestEncoding);
    }

    [Fact]
    public async Task CompressedResponse_IsDecompressed()
    {
        var wire = new WireRecorder();
        using var channel = fixture.NewChannel(new GrpcChannelOptions { HttpHandler = wire });

        var response = await new ProbeServiceClient(channel).InspectAsync(new InspectRequest { Payload = Zeros, ResponseCompression = "gzip" });

        Assert.Equal("gzip", wire.ResponseHeader("grpc-encoding"));
        Assert.Equal(Zeros, response.Payload);
    }

    [Fact]
    public async Task CompressedResponse_LargerThanTheLimitOnceInflated_IsResourceExhausted()
    {
        using var channel = fixture.NewChannel(new GrpcChannelOptions { MaxReceiveMessageSize = 50_000 });

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            new ProbeServiceClient(channel).InspectAsync(new InspectRequest { Payload = Zeros, ResponseCompression = "gzip" }));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task Response_LargerThanTheLimit_IsResourceExhausted()
    {
        using var channel = fixture.NewChannel(new GrpcChannelOptions { MaxReceiveMessageSize = 50_000 });

        var ex = await Assert.ThrowsAsync<RpcException>(() => new ProbeServiceClient(channel).EchoAsync(new EchoRequest { Payload = Zeros }));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task Request_LargerThanTheSendLimit_IsResourceExhaustedWithoutBeingSent()
    {
        var wire = new WireRecorder();
        using var channel = fixture.NewChannel(new GrpcChannelOptions { MaxSendMessageSize = 50_000, HttpHandler = wire });

        var ex = await Assert.ThrowsAsync<RpcException>(() => new ProbeServiceClient(channel).EchoAsync(new EchoRequest { Payload = Zeros }));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal(0, wire.Requests);
    }

    [Fact]
    public void UnknownAlgorithm_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => fixture.NewChannel(new GrpcChannelOptions { CompressionAlgorithm = "br" }));
        Assert.Throws<ArgumentException>(() => fixture.Server.Channel.AsyncUnaryCall(
            ProbeServiceClient.Methods.Echo, new EchoRequest(), new CallOptions { CompressionAlgorithm = "snappy" }));
    }
}
