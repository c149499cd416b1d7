using GrpcDvc.Client;
using GrpcDvc.Grpc;
using GrpcDvc.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Support;

/// <summary>
/// The real server (Kestrel, real sockets, real database) in the test process, on ephemeral
/// ports, with a client channel to it.
/// </summary>
public sealed class InProcessServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dataDir;

    private InProcessServer(WebApplication app, string dataDir)
    {
        _app = app;
        _dataDir = dataDir;
        var endpoints = app.Services.GetRequiredService<DvcEndpoints>();
        GrpcAddress = new Uri($"http://127.0.0.1:{endpoints.GrpcPort}");
        WebAddress = new Uri($"http://127.0.0.1:{endpoints.WebPort}");
        Channel = new GrpcChannel(GrpcAddress);
    }

    public Uri GrpcAddress { get; }

    public Uri WebAddress { get; }

    public GrpcChannel Channel { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts on SQLite in a fresh temp folder, or on the given PostgreSQL database.</summary>
    public static Task<InProcessServer> StartAsync(string? postgresConnectionString = null, params string[] extraArgs)
        => StartWithServicesAsync(null, postgresConnectionString, extraArgs);

    /// <summary>As <see cref="StartAsync"/>, with test-only services added before the container is built (e.g. an interceptor).</summary>
    public static async Task<InProcessServer> StartWithServicesAsync(Action<IServiceCollection>? configureServices, string? postgresConnectionString = null, params string[] extraArgs)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), $"grpcdvc-test-{Guid.NewGuid():N}");
        var args = new List<string>
        {
            "--Dvc:GrpcUrl=http://127.0.0.1:0",
            "--Dvc:WebUrl=http://127.0.0.1:0",
            $"--Dvc:DataDir={dataDir}",
            "--Logging:LogLevel:Default=Warning",
            // The SMS outbox and the development issuer, as the demo has them (a test may pass false after this).
            "--Dvc:Identity:Development:Enabled=true",
        };
        if (postgresConnectionString is not null)
        {
            args.Add("--Dvc:Database:Provider=postgres");
            args.Add($"--Dvc:Database:ConnectionString={postgresConnectionString}");
        }

        args.AddRange(extraArgs);
        var app = ServerHost.Build([.. args], configureServices);
        // The probe service exists only in tests, to reach the binding's corner cases.
        var registry = app.Services.GetRequiredService<GrpcServiceRegistry>();
        registry.Add<ProbeService>(GrpcDvc.Tests.Probe.ProbeReflection.Descriptor, "dvc.testing.v1.ProbeService");
        // The official interop service, for the interop clients of other gRPC implementations.
        registry.Add<Interop.InteropTestService>(global::Grpc.Testing.TestReflection.Descriptor, "grpc.testing.TestService");
        await ServerHost.PrepareDatabaseAsync(app);
        await app.StartAsync();
        return new InProcessServer(app, dataDir);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
