using Grpc.AspNetCore.Server;
using Grpc.Net.Client;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace GrpcDvc.Tests.Support;

/// <summary>
/// The real server (Kestrel, real sockets, real database) in the test process, on ephemeral
/// ports, with a client channel to it.
/// </summary>
public sealed class InProcessServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dataDir;
    private readonly Server.Storage.DatabaseTarget _database;

    private InProcessServer(WebApplication app, string dataDir)
    {
        _app = app;
        _dataDir = dataDir;
        _database = app.Services.GetRequiredService<Server.Storage.DatabaseTarget>();
        var endpoints = app.Services.GetRequiredService<DvcEndpoints>();
        GrpcAddress = new Uri($"http://127.0.0.1:{endpoints.GrpcPort}");
        WebAddress = new Uri($"http://127.0.0.1:{endpoints.WebPort}");
        Channel = GrpcChannel.ForAddress(GrpcAddress);
    }

    /// <summary>Let through the gate without a policy by default; a test that wants it denied passes another value for index 0.</summary>
    public const string ProbeServiceName = "dvc.testing.v1.ProbeService";

    public const string InteropServiceName = "grpc.testing.TestService";

    public Uri GrpcAddress { get; }

    public Uri WebAddress { get; }

    public GrpcChannel Channel { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The proto services mapped on this server (ours, the tests' and the infrastructure's), from its routing endpoints.</summary>
    public IReadOnlyList<ServiceDescriptor> MappedServices => _app.Services.GetRequiredService<EndpointDataSource>().Endpoints
        .Select(e => e.Metadata.GetMetadata<GrpcMethodMetadata>()?.ServiceType)
        .OfType<Type>()
        .Distinct()
        .Select(RpcDescriptors.ServiceOf)
        .OfType<ServiceDescriptor>()
        .DistinctBy(s => s.FullName)
        .ToList();

    /// <summary>A failing health check the test can switch on and off (grpc.health.v1 follows within about a second).</summary>
    public HealthSwitch Health => _app.Services.GetRequiredService<HealthSwitch>();

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
            // The test harness services declare no access policy; only tests let them through the gate.
            $"--Dvc:Access:ServicesWithoutPolicy:0={ProbeServiceName}",
            $"--Dvc:Access:ServicesWithoutPolicy:1={InteropServiceName}",
            // The SMS outbox and the development issuer, as the demo has them (a test may pass false after this).
            "--Dvc:Identity:Development:Enabled=true",
            // Health checks rerun every second, so a test that flips the health switch sees Watch follow.
            "--Dvc:Health:Interval=00:00:01",
        };
        if (postgresConnectionString is not null)
        {
            args.Add("--Dvc:Database:Provider=postgres");
            args.Add($"--Dvc:Database:ConnectionString={postgresConnectionString}");
        }

        args.AddRange(extraArgs);
        var app = ServerHost.Build([.. args], services =>
        {
            HealthSwitch.Register(services);
            configureServices?.Invoke(services);
        });
        // The probe service exists only in tests, to drive clients and peers into corner cases.
        app.MapDvcService<TestProbeService>();
        // The official interop service, for the interop clients of other gRPC implementations.
        app.MapDvcService<Interop.InteropTestService>();
        // Drives the authorization gate and the subject checks services make.
        app.MapDvcService<TestAccessProbeService>();
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
        // Idle pooled connections of a stopped server would otherwise hold the shared test cluster's slots.
        if (_database is { Provider: Server.Storage.DatabaseProvider.Postgres } postgres)
        {
            using var connection = new Npgsql.NpgsqlConnection(postgres.ConnectionString);
            Npgsql.NpgsqlConnection.ClearPool(connection);
        }
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
