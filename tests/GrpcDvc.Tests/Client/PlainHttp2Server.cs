using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GrpcDvc.Tests.Client;

/// <summary>
/// A plain Kestrel h2c server that answers like a broken proxy or a non-gRPC service would, to
/// check how the client turns such answers into statuses. Path: /fake.Http/{behaviour}.
/// </summary>
internal sealed class PlainHttp2Server : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PlainHttp2Server(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<PlainHttp2Server> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        app.MapPost("/fake.Http/{behaviour}", (Delegate)RespondAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new PlainHttp2Server(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task RespondAsync(HttpContext context, string behaviour)
    {
        var response = context.Response;
        if (behaviour.StartsWith("http-", StringComparison.Ordinal))
        {
            response.StatusCode = int.Parse(behaviour["http-".Length..], System.Globalization.CultureInfo.InvariantCulture);
            return;
        }

        switch (behaviour)
        {
            case "html":
                response.ContentType = "text/html";
                await response.WriteAsync("<html>maintenance</html>");
                break;
            case "no-status":
                // A message, then the end of the stream without any grpc-status trailer.
                response.ContentType = "application/grpc";
                await response.Body.WriteAsync(new byte[] { 0, 0, 0, 0, 0 });
                break;
            case "encoded-message":
                // Trailers-only, with a percent-encoded message (UTF-8 and a newline).
                response.ContentType = "application/grpc";
                response.Headers["grpc-status"] = "9";
                response.Headers["grpc-message"] = "H%E1%BB%93 s%C6%A1 %C4%91%C3%A3 kh%C3%B3a%0Ad%C3%B2ng 2 100%25";
                break;
            default:
                response.StatusCode = StatusCodes.Status500InternalServerError;
                break;
        }
    }
}
