using Google.Protobuf;
using GrpcDvc.Client;
using GrpcDvc.Grpc.Wire;
using GrpcDvc.Tests.Probe;
using GrpcDvc.Tests.Support;

namespace GrpcDvc.Tests.Grpc;

/// <summary>What the binding puts on the wire, per grpc/grpc doc/PROTOCOL-HTTP2.md.</summary>
public sealed class BindingWireTests : IAsyncLifetime
{
    private const string Echo = "/dvc.testing.v1.ProbeService/Echo";
    private InProcessServer _server = null!;

    public async Task InitializeAsync() => _server = await InProcessServer.StartAsync(null, "--Dvc:Grpc:MaxReceiveMessageSize=65536");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task UnaryCall_Ok_SendsMessageThenStatusInTrailers()
    {
        var response = await RawGrpc.PostAsync(_server.GrpcAddress, Echo, MessageFraming.Frame(new EchoRequest { Text = "chào" }));

        Assert.Equal(200, response.HttpStatus);
        Assert.Equal("application/grpc", response.ContentType);
        Assert.Equal("0", response.Trailers["grpc-status"]);
        Assert.False(response.Headers.ContainsKey("grpc-status"));
        var reply = EchoResponse.Parser.ParseFrom(response.Body.AsSpan(5));
        Assert.Equal("chào", reply.Text);
    }

    [Fact]
    public async Task UnaryCall_ThroughTheClientChannel_RoundTrips()
    {
        var reply = await new ProbeServiceClient(_server.Channel).EchoAsync(new EchoRequest { Text = "Thẻ căn cước" });
        Assert.Equal("Thẻ căn cước", reply.Text);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    [InlineData("application/grpcx")]
    public async Task NonGrpcContentType_Is415(string contentType)
    {
        var response = await RawGrpc.PostAsync(_server.GrpcAddress, Echo, MessageFraming.Frame(new EchoRequest()), contentType);
        Assert.Equal(415, response.HttpStatus);
    }

    [Theory]
    [InlineData("application/grpc+proto")]
    [InlineData("application/grpc; charset=utf-8")]
    public async Task GrpcContentTypeVariants_AreAccepted(string contentType)
    {
        var response = await RawGrpc.PostAsync(_server.GrpcAddress, Echo, MessageFraming.Frame(new EchoRequest()), contentType);
        Assert.Equal(StatusCode.OK, response.GrpcStatus);
    }

    [Fact]
    public async Task UnknownMethod_IsUnimplemented_TrailersOnly()
    {
        var response = await RawGrpc.PostAsync(_server.GrpcAddress, "/dvc.testing.v1.ProbeService/Nope", MessageFraming.Frame(new EchoRequest()));

        Assert.Equal(StatusCode.Unimplemented, response.GrpcStatus);
        Assert.True(response.IsTrailersOnly);
        Assert.Contains("Method", response.GrpcMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownService_IsUnimplemented()
    {
        var response = await RawGrpc.PostAsync(_server.GrpcAddress, "/no.such.Service/Method", MessageFraming.Frame(new EchoRequest()));

        Assert.Equal(StatusCode.Unimplemented, response.GrpcStatus);
        Assert.Contains("Service", response.GrpcMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TruncatedFrame_IsInternal()
    {
        var framed = MessageFraming.Frame(new EchoRequest { Text = "cut short" });
        var response = await RawGrpc.PostAsync(_server.GrpcAddress, Echo, framed[..^3]);
        Assert.Equal(StatusCode.Internal, response.GrpcStatus);
    }

    [Fact]
    public async Task ExtraDataAfterUnaryRequest_IsInternal()
    {
        var framed = MessageFraming.Frame(new EchoRequest { Text = "one" });
        var response = await RawGrpc.PostAsync(_server.GrpcAddress, Echo, [.. framed, .. framed]);
        Assert.Equal(StatusCode.Internal, response.GrpcStatus);
    }

    [Fact]
    public async Task MalformedBinaryMetadata_IsInternal_EvenWhenTheHandlerNeverReadsMetadata()
    {
        // Metadata is parsed lazily, but binary entries are still checked before the handler runs.
        var response = await RawGrpc.PostAsync(_server.GrpcAddress, Echo, MessageFraming.Frame(new EchoRequest()),
            headers: new Dictionary<string, string> { ["x-broken-bin"] = "@@ not base64 @@" });

        Assert.Equal(StatusCode.Internal, response.GrpcStatus);
        Assert.True(response.IsTrailersOnly);
        Assert.Contains("x-broken-bin", response.GrpcMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExtraDataArrivingAfterTheUnaryRequest_IsInternal()
    {
        // The second message comes in a later DATA frame than the first, so the end of the request
        // is not known from the read that carried the message.
        var framed = MessageFraming.Frame(new EchoRequest { Text = "one" });
        using var http = new HttpClient(new SocketsHttpHandler());
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_server.GrpcAddress, Echo))
        {
            Version = System.Net.HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new PausingContent(framed, framed),
        };
        request.Content.Headers.ContentType = new("application/grpc");

        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();

        // Nothing was sent before the failure, so the status comes in a trailers-only response.
        Assert.Equal("13", response.Headers.GetValues("grpc-status").Single());
        Assert.Contains("Additional data", Uri.UnescapeDataString(response.Headers.GetValues("grpc-message").Single()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmptyUnaryRequestBody_IsInternal()
    {
        var response = await RawGrpc.PostAsync(_server.GrpcAddress, Echo, []);
        Assert.Equal(StatusCode.Internal, response.GrpcStatus);
    }

    [Fact]
    public async Task GarbagePayload_IsInternal()
    {
        byte[] framed = [0, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF];
        var response = await RawGrpc.PostAsync(_server.GrpcAddress, Echo, framed);
        Assert.Equal(StatusCode.Internal, response.GrpcStatus);
    }

    [Fact]
    public async Task RequestOverTheConfiguredLimit_IsResourceExhausted()
    {
        var big = new EchoRequest { Payload = ByteString.CopyFrom(new byte[70_000]) };
        var response = await RawGrpc.PostAsync(_server.GrpcAddress, Echo, MessageFraming.Frame(big));
        Assert.Equal(StatusCode.ResourceExhausted, response.GrpcStatus);
    }

    [Fact]
    public async Task RequestUnderTheConfiguredLimit_IsServed()
    {
        var fits = new EchoRequest { Payload = ByteString.CopyFrom(new byte[60_000]) };
        var reply = await new ProbeServiceClient(_server.Channel).EchoAsync(fits);
        Assert.Equal(60_000, reply.Payload.Length);
    }

    [Fact]
    public async Task HandlerException_IsUnknown_WithoutLeakingItsMessage()
    {
        var response = await RawGrpc.PostAsync(_server.GrpcAddress, "/dvc.testing.v1.ProbeService/Fail", MessageFraming.Frame(new EchoRequest()));

        Assert.Equal(StatusCode.Unknown, response.GrpcStatus);
        Assert.DoesNotContain("hunter2", response.GrpcMessage ?? string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", response.GrpcMessage ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientChannel_SurfacesStatusAsRpcException()
    {
        var nope = new Method<EchoRequest, EchoResponse>(MethodType.Unary, "/dvc.testing.v1.ProbeService/Nope", EchoResponse.Parser);
        var ex = await Assert.ThrowsAsync<RpcException>(() => _server.Channel.UnaryAsync(nope, new EchoRequest()));
        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }
}

/// <summary>A request body sent in parts, each flushed and followed by a pause, so each arrives on its own.</summary>
internal sealed class PausingContent(params byte[][] parts) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
    {
        foreach (var part in parts)
        {
            await stream.WriteAsync(part);
            await stream.FlushAsync();
            await Task.Delay(100);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}

public sealed class DetailedErrorsTests
{
    [Fact]
    public async Task HandlerException_WithDetailedErrorsOn_DescribesTheException()
    {
        await using var server = await InProcessServer.StartAsync(null, "--Dvc:Grpc:EnableDetailedErrors=true");
        var response = await RawGrpc.PostAsync(server.GrpcAddress, "/dvc.testing.v1.ProbeService/Fail", MessageFraming.Frame(new EchoRequest()));

        Assert.Equal(StatusCode.Unknown, response.GrpcStatus);
        Assert.Contains("InvalidOperationException", response.GrpcMessage, StringComparison.Ordinal);
    }
}
