using System.Net;
using Grpc.Core;
using GrpcDvc.Tests.Probe;
using GrpcDvc.Tests.Support;

namespace GrpcDvc.Tests.Web;

/// <summary>CORS for browser pages on other origins (Dvc:GrpcWeb:AllowedOrigins).</summary>
public sealed class GrpcWebCorsTests(GrpcWebServerFixture fixture) : IClassFixture<GrpcWebServerFixture>
{
    private const string Repeat = "/dvc.testing.v1.ProbeService/Repeat";

    [Fact]
    public async Task Preflight_FromAllowedOrigin_AllowsPostAndEveryRequestedHeader()
    {
        using var response = await PreflightAsync(fixture.Server.WebAddress, GrpcWebServerFixture.PortalOrigin);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(GrpcWebServerFixture.PortalOrigin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains("POST", Header(response, "Access-Control-Allow-Methods"), StringComparison.Ordinal);
        // Tokens travel in the authorization header, so no credentials are needed or allowed.
        Assert.Null(Header(response, "Access-Control-Allow-Credentials"));
        var allowed = Header(response, "Access-Control-Allow-Headers")!.Split(',', StringSplitOptions.TrimEntries);
        Assert.Subset(allowed.ToHashSet(), RequestedHeaders.Split(',', StringSplitOptions.TrimEntries).ToHashSet());
    }

    [Fact]
    public async Task Preflight_FromOtherOrigin_IsRefused()
    {
        using var response = await PreflightAsync(fixture.Server.WebAddress, "https://lua-dao.example");

        // ASP.NET Core's CORS answers a refused preflight without its allow headers; the browser then refuses the call.
        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
        Assert.Null(Header(response, "Access-Control-Allow-Methods"));
    }

    [Fact]
    public async Task Call_FromAllowedOrigin_ExposesStatusAndCustomMetadata()
    {
        var reply = await GrpcWebRaw.PostAsync(fixture.Server.WebAddress, Repeat, RawFrames.Frame(new RepeatRequest { Text = "a", Count = 1 }),
            headers: new Dictionary<string, string> { ["Origin"] = GrpcWebServerFixture.PortalOrigin });

        Assert.Equal(StatusCode.OK, reply.GrpcStatus);
        Assert.Equal(GrpcWebServerFixture.PortalOrigin, reply.Headers["access-control-allow-origin"]);
        var exposed = reply.Headers["access-control-expose-headers"].Split(',', StringSplitOptions.TrimEntries);
        Assert.Subset(exposed.Select(h => h.ToLowerInvariant()).ToHashSet(), new HashSet<string> { "grpc-status", "grpc-message", "grpc-status-details-bin", "grpc-encoding" });
        // Custom metadata (x-probe-count here) is exposed through the wildcard, valid because the call carries no credentials.
        Assert.Contains("*", exposed);
    }

    [Fact]
    public async Task Call_FromOtherOrigin_GetsNoCorsHeaders()
    {
        var reply = await GrpcWebRaw.PostAsync(fixture.Server.WebAddress, Repeat, RawFrames.Frame(new RepeatRequest { Text = "a", Count = 1 }),
            headers: new Dictionary<string, string> { ["Origin"] = "https://lua-dao.example" });

        Assert.False(reply.Headers.ContainsKey("access-control-allow-origin"));
    }

    [Fact]
    public async Task Preflight_WithNoOriginsConfigured_IsRefusedButSameOriginCallsWork()
    {
        await using var server = await InProcessServer.StartAsync();
        var ownOrigin = server.WebAddress.GetLeftPart(UriPartial.Authority);

        using var preflight = await PreflightAsync(server.WebAddress, GrpcWebServerFixture.PortalOrigin);
        var call = await GrpcWebRaw.PostAsync(server.WebAddress, Repeat, RawFrames.Frame(new RepeatRequest { Text = "a", Count = 2 }),
            headers: new Dictionary<string, string> { ["Origin"] = ownOrigin });

        Assert.Null(Header(preflight, "Access-Control-Allow-Origin"));
        Assert.Equal(StatusCode.OK, call.GrpcStatus);
        Assert.Equal(2, call.Messages.Count());
    }

    [Fact]
    public async Task WebAppFile_RequestedFromAnotherOrigin_GetsNoCorsHeaders()
    {
        // The CORS policy belongs to the gRPC endpoints; the web app's own files are not shared across origins.
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.Server.WebAddress, "/"));
        request.Headers.Add("Origin", GrpcWebServerFixture.PortalOrigin);

        using var response = await http.SendAsync(request);

        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
    }

    private const string RequestedHeaders = "content-type, x-grpc-web, x-user-agent, grpc-timeout, authorization, x-ma-ho-so";

    private static async Task<HttpResponseMessage> PreflightAsync(Uri web, string origin)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, new Uri(web, Repeat));
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", RequestedHeaders);
        return await http.SendAsync(request);
    }

    private static string? Header(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
