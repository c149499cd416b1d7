using Grpc.Core;
using GrpcDvc.Contracts.Audit.V1;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Contracts.Population.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Storage;
using GrpcDvc.Tests.Logging;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GrpcDvc.Tests.Population;

/// <summary>
/// The real server with the registry test data, a test caller interceptor and the test agency
/// scope; typed clients for the population and audit services, and the callers tests act as.
/// </summary>
public sealed class RegistryServer : IAsyncDisposable
{
    public const string OfficerA = "officer-a";
    public const string OfficerB = "officer-b";
    public const string Auditor = "auditor";

    private RegistryServer(InProcessServer server, TestCallers callers, CapturedLogs logs)
    {
        Logs = logs;
        Server = server;
        Callers = callers;
        Data = new RegistryTestData(server.Services);
        Population = new PopulationService.PopulationServiceClient(server.Channel);
        Audit = new AuditService.AuditServiceClient(server.Channel);
        callers.Official(OfficerA, RegistryTestData.ProvinceA, Role.ProcessingOfficer);
        callers.Official(OfficerB, RegistryTestData.ProvinceB, Role.IntakeOfficer);
        callers.Official(Auditor, RegistryTestData.ProvinceA, Role.Auditor);
    }

    public InProcessServer Server { get; }

    public TestCallers Callers { get; }

    /// <summary>Every entry the server logged (warnings and above, as the test server's filter lets through).</summary>
    public CapturedLogs Logs { get; }

    public RegistryTestData Data { get; }

    public PopulationService.PopulationServiceClient Population { get; }

    public AuditService.AuditServiceClient Audit { get; }

    /// <param name="configureServices">More test services (e.g. <see cref="DatabaseCalls.Register"/>).</param>
    /// <param name="extraArgs">Configuration given on the command line (e.g. "--Dvc:Population:SearchCountLimit=3").</param>
    public static async Task<RegistryServer> StartAsync(
        string? postgresConnectionString, Action<IServiceCollection>? configureServices = null, params string[] extraArgs)
    {
        var callers = new TestCallers();
        var logs = new CapturedLogs();
        var server = await InProcessServer.StartWithServicesAsync(services =>
        {
            services.AddSingleton<ILoggerProvider>(logs)
                .AddSingleton(callers)
                .AddSingleton<IAgencyScope, TestAgencyScope>()
                .AddGrpcInterceptor<TestCallerInterceptor>();
            configureServices?.Invoke(services);
        }, postgresConnectionString, extraArgs);
        var registry = new RegistryServer(server, callers, logs);
        await registry.Data.AddUnitsAsync();
        return registry;
    }

    /// <summary>Call options acting as the caller registered under <paramref name="callerKey"/>.</summary>
    public static CallOptions As(string callerKey) => new(new Metadata { { TestCallerInterceptor.Header, callerKey } });

    /// <summary>Runs SQL on the server's database (triggers that break the access log, say).</summary>
    public async Task ExecuteSqlAsync(string sql)
    {
        await using var scope = Server.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DvcDbContext>().Database.ExecuteSqlRawAsync(sql);
    }

    public async Task<T> WithDbAsync<T>(Func<DvcDbContext, Task<T>> read)
    {
        await using var scope = Server.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<DvcDbContext>());
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
