using System.IO.Compression;
using Grpc.HealthCheck;
using GrpcDvc.Server.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GrpcDvc.Server.Hosting;

/// <summary>grpc-dotnet's pieces, configured from the "Dvc" section: gRPC, gRPC-Web with CORS, health, reflection.</summary>
internal static class GrpcHosting
{
    public const string GrpcWebCorsPolicy = "grpc-web";

    /// <summary>The services whose health grpc.health.v1 reports by name.</summary>
    public static readonly IReadOnlyList<string> ServedServices =
    [
        Contracts.Catalog.V1.CatalogService.Descriptor.FullName,
        Contracts.Identity.V1.IdentityService.Descriptor.FullName,
        Contracts.Population.V1.PopulationService.Descriptor.FullName,
        Contracts.Audit.V1.AuditService.Descriptor.FullName,
        Contracts.Calendar.V1.CalendarService.Descriptor.FullName,
        Contracts.Dossiers.V1.DossierService.Descriptor.FullName,
        Contracts.Jobs.V1.JobService.Descriptor.FullName,
    ];

    public static void AddDvcGrpc(this IServiceCollection services, DvcOptions options, IHostEnvironment environment)
    {
        services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = options.Grpc.MaxReceiveMessageSize;
            grpc.MaxSendMessageSize = options.Grpc.MaxSendMessageSize;
            // Exception text can name tables, paths and people: only a developer's machine shows it.
            grpc.EnableDetailedErrors = environment.IsDevelopment();
            // Compressed when the client accepts gzip (grpc-accept-encoding); Fastest keeps CPU per call low.
            grpc.ResponseCompressionAlgorithm = "gzip";
            grpc.ResponseCompressionLevel = CompressionLevel.Fastest;
            grpc.CompressionProviders = [new BoundedGzip(options.Grpc.MaxReceiveMessageSize)];
            // Outermost: every status the calls end with has a message.
            grpc.Interceptors.Add<StatusMessages>();
            // Then: a database outage met anywhere in the call (the gate included) answers UNAVAILABLE.
            grpc.Interceptors.Add<DatabaseFaultInterceptor>();
        });
        services.AddGrpcReflection();
        services.AddGrpcHealthChecks(health =>
        {
            // "" is the whole server; each of our services answers too, from the same checks (they all need the database).
            foreach (var service in ServedServices)
            {
                health.Services.Map(service, _ => true);
            }
        }).AddCheck<DatabaseHealthCheck>("database");
        services.Configure<HealthCheckPublisherOptions>(publisher =>
        {
            publisher.Delay = TimeSpan.Zero;
            publisher.Period = options.Health.Interval < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : options.Health.Interval;
        });
        // Last: AddGrpc (also called by the health and reflection registrations) adds grpc-dotnet's binder back.
        services.BindServicesWithParseFailures();
        services.AddCors(cors => cors.AddPolicy(GrpcWebCorsPolicy, policy =>
        {
            // An origin is scheme://host[:port]; a trailing slash in the configuration is a common slip.
            var origins = options.GrpcWeb.AllowedOrigins.Select(o => o.Trim().TrimEnd('/')).ToArray();
            _ = origins.Contains("*") ? policy.AllowAnyOrigin() : policy.WithOrigins(origins);
            // Portals send their access token in a header, never a cookie, so no request carries credentials:
            // that keeps "*" below meaning every response header (the rpc's custom metadata included).
            policy.WithMethods("POST").AllowAnyHeader()
                .WithExposedHeaders("Grpc-Status", "Grpc-Message", "Grpc-Encoding", "Grpc-Accept-Encoding", "Grpc-Status-Details-Bin", "*");
        }));
    }

    /// <summary>gRPC-Web for every gRPC endpoint (binary and text), and CORS for it; then the check of every request's message frames.</summary>
    public static void UseDvcGrpcWeb(this WebApplication app)
    {
        app.UseGrpcWeb(new GrpcWebOptions { DefaultEnabled = true });
        app.UseCors();
        app.UseRequestFrameCheck();
    }

    /// <summary>Maps a gRPC service with gRPC-Web and its CORS policy.</summary>
    public static GrpcServiceEndpointConventionBuilder MapDvcService<TService>(this IEndpointRouteBuilder endpoints)
        where TService : class
        => endpoints.MapGrpcService<TService>().RequireCors(GrpcWebCorsPolicy);

    public static void MapInfrastructureServices(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcHealthChecksService().RequireCors(GrpcWebCorsPolicy);
        endpoints.MapGrpcReflectionService();
    }

    /// <summary>The health service grpc-dotnet maps, to set a status by hand (tests, a drain before shutdown).</summary>
    public static HealthServiceImpl HealthService(this IServiceProvider services) => services.GetRequiredService<HealthServiceImpl>();
}
