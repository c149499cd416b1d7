using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using GrpcDvc.Grpc.Wire;
using GrpcDvc.Tests.Probe;
using GrpcDvc.Tests.Support;

namespace GrpcDvc.Tests.Web;

/// <summary>gRPC-Web over HTTP/2: the web endpoint on TLS (ALPN h2), as browsers reach it in production.</summary>
public sealed class GrpcWebHttp2Tests : IAsyncLifetime
{
    private const string Password = "thu-nghiem";
    private readonly string _certificatePath = Path.Combine(Path.GetTempPath(), $"grpcdvc-web-{Guid.NewGuid():N}.pfx");
    private byte[] _certificateHash = [];
    private InProcessServer _server = null!;
    private Uri _web = null!;

    public async Task InitializeAsync()
    {
        using (var certificate = SelfSigned())
        {
            await File.WriteAllBytesAsync(_certificatePath, certificate.Export(X509ContentType.Pfx, Password));
            _certificateHash = certificate.GetCertHash();
        }

        _server = await InProcessServer.StartAsync(null,
            "--Dvc:WebUrl=https://127.0.0.1:0", $"--Dvc:Tls:CertificatePath={_certificatePath}", $"--Dvc:Tls:CertificatePassword={Password}");
        _web = new UriBuilder(_server.WebAddress) { Scheme = Uri.UriSchemeHttps }.Uri;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        File.Delete(_certificatePath);
    }

    [Theory]
    [InlineData(GrpcWebRaw.Binary)]
    [InlineData(GrpcWebRaw.Text)]
    public async Task ServerStreaming_OverHttp2_PutsTheStatusInTheBodyNotInHttpTrailers(string contentType)
    {
        var frame = MessageFraming.Frame(new RepeatRequest { Text = "Cư trú", Count = 2 });
        var body = contentType == GrpcWebRaw.Text ? System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(frame)) : frame;

        var reply = await GrpcWebRaw.PostAsync(_web, "/dvc.testing.v1.ProbeService/Repeat", body, contentType, version: HttpVersion.Version20, handler: TrustingOurCertificate());

        Assert.Equal(HttpVersion.Version20, reply.HttpVersion);
        Assert.Equal(contentType, reply.ContentType);
        Assert.Equal(["Cư trú 1", "Cư trú 2"], reply.Messages.Select(m => EchoResponse.Parser.ParseFrom(m).Text));
        Assert.Equal("0", reply.Trailers["grpc-status"]);
        Assert.Equal(0, reply.HttpTrailerCount);
    }

    [Fact]
    public async Task Unary_OverHttp2_RoundTrips()
    {
        var reply = await GrpcWebRaw.PostAsync(_web, "/dvc.testing.v1.ProbeService/Echo", MessageFraming.Frame(new EchoRequest { Text = "Thẻ căn cước" }),
            version: HttpVersion.Version20, handler: TrustingOurCertificate());

        Assert.Equal(HttpVersion.Version20, reply.HttpVersion);
        Assert.Equal("Thẻ căn cước", EchoResponse.Parser.ParseFrom(reply.Messages.Single()).Text);
        Assert.Equal(StatusCode.OK, reply.GrpcStatus);
    }

    private SocketsHttpHandler TrustingOurCertificate() => new()
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHash().AsSpan().SequenceEqual(_certificateHash) == true,
        },
    };

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = TimeProvider.System.GetUtcNow();
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
    }
}
