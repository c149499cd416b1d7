using System.Net;
using System.Text;
using Google.Protobuf;
using GrpcDvc.Grpc.Wire;
using GrpcDvc.Tests.Probe;
using GrpcDvc.Tests.Support;

namespace GrpcDvc.Tests.Web;

/// <summary>gRPC-Web on the web endpoint over HTTP/1.1, per grpc/grpc doc/PROTOCOL-WEB.md.</summary>
public sealed class GrpcWebWireTests(GrpcWebServerFixture fixture) : IClassFixture<GrpcWebServerFixture>
{
    private const string Echo = "/dvc.testing.v1.ProbeService/Echo";
    private const string Repeat = "/dvc.testing.v1.ProbeService/Repeat";
    private Uri Web => fixture.Server.WebAddress;

    [Fact]
    public async Task BinaryUnary_OverHttp11_SendsMessageThenTrailerFrame()
    {
        var reply = await GrpcWebRaw.PostAsync(Web, Echo, MessageFraming.Frame(new EchoRequest { Text = "Căn cước công dân" }));

        Assert.Equal(200, reply.HttpStatus);
        Assert.Equal(HttpVersion.Version11, reply.HttpVersion);
        Assert.Equal(GrpcWebRaw.Binary, reply.ContentType);
        Assert.Equal([0x00, 0x80], reply.Frames.Select(f => f.Flag));
        Assert.Equal("Căn cước công dân", EchoResponse.Parser.ParseFrom(reply.Messages.Single()).Text);
        Assert.Equal("grpc-status: 0\r\n", reply.TrailerBlock);
        Assert.False(reply.Headers.ContainsKey("grpc-status"));
        Assert.Equal(0, reply.HttpTrailerCount);
    }

    [Fact]
    public async Task TextUnary_BodyOfSeveralPaddedBase64Chunks_IsDecodedAndAnsweredInBase64()
    {
        var frame = MessageFraming.Frame(new EchoRequest { Text = "Đăng ký thường trú" });
        // Split so that the first chunk ends in padding: the server must not stop reading there.
        var chunks = Convert.ToBase64String(frame[..7]) + "\r\n" + Convert.ToBase64String(frame[7..]);
        Assert.EndsWith("=", Convert.ToBase64String(frame[..7]), StringComparison.Ordinal);

        var reply = await GrpcWebRaw.PostAsync(Web, Echo, Encoding.ASCII.GetBytes(chunks), GrpcWebRaw.Text);

        Assert.Equal(GrpcWebRaw.Text, reply.ContentType);
        Assert.Matches("^[A-Za-z0-9+/=]+$", Encoding.ASCII.GetString(reply.RawBody));
        Assert.Equal("Đăng ký thường trú", EchoResponse.Parser.ParseFrom(reply.Messages.Single()).Text);
        Assert.Equal(StatusCode.OK, reply.GrpcStatus);
    }

    [Theory]
    [InlineData("application/grpc-web")]
    [InlineData("application/grpc-web+proto")]
    [InlineData("application/grpc-web-text")]
    [InlineData("application/grpc-web-text+proto")]
    public async Task ResponseContentType_MirrorsTheRequests(string contentType)
    {
        var frame = MessageFraming.Frame(new EchoRequest { Text = "x" });
        var body = contentType.Contains("-text", StringComparison.Ordinal) ? Encoding.ASCII.GetBytes(Convert.ToBase64String(frame)) : frame;

        var reply = await GrpcWebRaw.PostAsync(Web, Echo, body, contentType);

        Assert.Equal(contentType, reply.ContentType);
        Assert.Equal(StatusCode.OK, reply.GrpcStatus);
    }

    [Theory]
    [InlineData(GrpcWebRaw.Binary)]
    [InlineData(GrpcWebRaw.Text)]
    public async Task ServerStreaming_SendsEveryMessageThenOneTrailerFrameWithCustomTrailers(string contentType)
    {
        var frame = MessageFraming.Frame(new RepeatRequest { Text = "Tạm trú", Count = 3 });
        var body = contentType == GrpcWebRaw.Text ? Encoding.ASCII.GetBytes(Convert.ToBase64String(frame)) : frame;

        var reply = await GrpcWebRaw.PostAsync(Web, Repeat, body, contentType);

        Assert.Equal(["Tạm trú 1", "Tạm trú 2", "Tạm trú 3"], reply.Messages.Select(m => EchoResponse.Parser.ParseFrom(m).Text));
        Assert.Equal(0x80, reply.Frames[^1].Flag);
        Assert.Equal("3", reply.Headers["x-probe-count"]);
        var trailers = reply.Trailers;
        Assert.Equal("0", trailers["grpc-status"]);
        Assert.Equal("yes", trailers["x-probe-done"]);
        // Binary metadata stays base64 in the trailer frame: raw bytes could hold "\r\n".
        Assert.Equal([0xff, 0x00, 0x0d, 0x0a], MetadataBase64Decode(trailers["x-probe-raw-bin"]));
        Assert.All(trailers.Keys, name => Assert.Equal(name.ToLowerInvariant(), name));
    }

    [Theory]
    [InlineData(GrpcWebRaw.Binary)]
    [InlineData(GrpcWebRaw.Text)]
    public async Task ServerStreaming_EachMessageReachesTheClientWhileTheCallIsStillOpen(string contentType)
    {
        // Two 19-byte frames: 38 bytes do not fill whole base64 groups, so in text mode the last
        // bytes arrive only if the server pads its output at each flush rather than at the end.
        var frame = MessageFraming.Frame(new RepeatRequest { Text = "Tạm trú", Count = 2, HoldOpen = true });
        var body = contentType == GrpcWebRaw.Text ? Encoding.ASCII.GetBytes(Convert.ToBase64String(frame)) : frame;

        var frames = await GrpcWebRaw.ReadWhileOpenAsync(Web, Repeat, body, contentType, count: 2);

        Assert.Equal([19, 19], frames.Select(f => f.Payload.Length + 5));
        Assert.All(frames, f => Assert.Equal(0, f.Flag));
        Assert.Equal("Tạm trú 2", EchoResponse.Parser.ParseFrom(frames[1].Payload).Text);
    }

    [Fact]
    public async Task HandlerFailure_BeforeAnyMessage_IsTrailersOnlyWithWebContentType()
    {
        var reply = await GrpcWebRaw.PostAsync(Web, "/dvc.testing.v1.ProbeService/Fail", MessageFraming.Frame(new EchoRequest()));

        Assert.Equal(200, reply.HttpStatus);
        Assert.True(reply.IsTrailersOnly);
        Assert.Equal(StatusCode.Unknown, reply.GrpcStatus);
        Assert.Equal(GrpcWebRaw.Binary, reply.ContentType);
        Assert.DoesNotContain(ProbeService.Secret, reply.GrpcMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientStreaming_OverGrpcWeb_IsRefusedAsUnimplementedBeforeTheHandlerRuns()
    {
        var body = MessageFraming.Frame(new EchoRequest { Text = "một" }).Concat(MessageFraming.Frame(new EchoRequest { Text = "hai" })).ToArray();

        var reply = await GrpcWebRaw.PostAsync(Web, "/dvc.testing.v1.ProbeService/Collect", body);

        Assert.Equal(200, reply.HttpStatus);
        Assert.True(reply.IsTrailersOnly);
        Assert.Equal(StatusCode.Unimplemented, reply.GrpcStatus);
        Assert.Contains("gRPC-Web", reply.GrpcMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownMethod_IsUnimplemented()
    {
        var reply = await GrpcWebRaw.PostAsync(Web, "/dvc.testing.v1.ProbeService/Nope", MessageFraming.Frame(new EchoRequest()));

        Assert.Equal(StatusCode.Unimplemented, reply.GrpcStatus);
        Assert.Equal(GrpcWebRaw.Binary, reply.ContentType);
    }

    [Fact]
    public async Task TextRequest_ThatIsNotBase64_IsInternal()
    {
        var reply = await GrpcWebRaw.PostAsync(Web, Echo, Encoding.ASCII.GetBytes("AAAA*AAA"), GrpcWebRaw.Text);

        Assert.Equal(StatusCode.Internal, reply.GrpcStatus);
        Assert.Contains("base64", reply.GrpcMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GrpcWeb_OnTheGrpcEndpoint_IsRefused()
    {
        var response = await RawGrpc.PostAsync(fixture.Server.GrpcAddress, Echo, MessageFraming.Frame(new EchoRequest()), GrpcWebRaw.Binary);

        Assert.Equal(415, response.HttpStatus);
    }

    [Fact]
    public async Task NativeGrpcContentType_OnTheWebEndpoint_GoesToTheWebApp()
    {
        using var http = new HttpClient();
        using var content = new ByteArrayContent(MessageFraming.Frame(new EchoRequest()));
        content.Headers.ContentType = new("application/grpc");

        using var response = await http.PostAsync(new Uri(Web, Echo), content);

        Assert.False(response.Headers.Contains("grpc-status"));
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task OtherRequests_OnTheWebEndpoint_ReachTheWebApp()
    {
        using var http = new HttpClient();

        var home = await http.GetStringAsync(Web);
        var portal = await http.GetStringAsync(new Uri(Web, "/portal/"));

        Assert.Contains("GrpcDvc", home, StringComparison.Ordinal);
        Assert.Contains("Cổng dịch vụ công", portal, StringComparison.Ordinal);
    }

    private static byte[] MetadataBase64Decode(string value) => GrpcDvc.Grpc.MetadataBase64.Decode(value);
}
