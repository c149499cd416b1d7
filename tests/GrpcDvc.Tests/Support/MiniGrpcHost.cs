using System.Net;
using GrpcDvc.Client;
using GrpcDvc.Grpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GrpcDvc.Tests.Support;

/// <summary>
/// Just the binding on real Kestrel (no database), with the probe service, for tests of the
/// binding's own features (interceptors, logging, metrics).
/// </summary>
public sealed class MiniGrpcHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MiniGrpcHost(WebApplication app, int port)
    {
        _app = app;
        Channel = new GrpcChannel(new Uri($"http://127.0.0.1:{port}"));
    }

    public GrpcChannel Channel { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<MiniGrpcHost> StartAsync(
        Action<IServiceCollection>? services = null, Type[]? probeInterceptors = null, ILoggerProvider? logs = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        ListenOptions? listen = null;
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l =>
        {
            l.Protocols = HttpProtocols.Http2;
            listen = l;
        }));
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        builder.Services.AddGrpcBinding(builder.Configuration.GetSection("none"));
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.Services.GetRequiredService<GrpcServiceRegistry>()
            .Add<ProbeService>(Probe.ProbeReflection.Descriptor, "dvc.testing.v1.ProbeService", probeInterceptors ?? []);
        app.UseGrpcDispatcher();
        await app.StartAsync();
        return new MiniGrpcHost(app, listen!.IPEndPoint!.Port);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Keeps every log entry written, for tests that read the log.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly List<(string Category, LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object?>> State)> _entries = [];

    public IReadOnlyList<(string Category, LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object?>> State)> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
            => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            lock (owner._entries)
            {
                owner._entries.Add((category, logLevel, formatter(state, exception), fields));
            }
        }
    }
}
