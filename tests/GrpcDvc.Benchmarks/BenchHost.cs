using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace GrpcDvc.Benchmarks;

/// <summary>
/// One target on one loopback h2c port chosen by the OS. Both targets get the same builder,
/// the same Kestrel settings (HTTP/2 only, like the server's gRPC listener) and the same log
/// level; only the terminal middleware differs.
/// </summary>
public sealed class BenchHost : IAsyncDisposable
{
    private readonly ListenOptions _listener;

    private BenchHost(WebApplication app, ListenOptions listener)
    {
        App = app;
        _listener = listener;
    }

    public WebApplication App { get; }

    public int Port => _listener.IPEndPoint?.Port ?? throw new InvalidOperationException("Not listening yet.");

    public static BenchHost Build(BenchSettings settings, BenchWorkload workload)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        // Warning by default: at Information the per-request log lines would be measured too.
        builder.Logging.SetMinimumLevel(settings.LogLevel);
        ListenOptions? listener = null;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listener = listen;
        }));
        builder.Services.AddSingleton(workload);
        if (settings.Target == BenchTarget.Grpc)
        {
            // As ServerHost does, less what a real server adds per call (authentication, the gate, compression).
            builder.Services.AddGrpc();
        }

        var app = builder.Build();
        if (settings.Target == BenchTarget.Grpc)
        {
            app.MapGrpcService<BenchGrpcService>();
        }
        else
        {
            app.Run(new BareGrpcEndpoint(workload).HandleAsync);
        }

        // Kestrel applies its configuration while the app is built, so the listener exists by now.
        return new BenchHost(app, listener ?? throw new InvalidOperationException("Kestrel was not configured."));
    }

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
