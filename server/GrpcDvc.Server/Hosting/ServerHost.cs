using GrpcDvc.Server.Access;
using GrpcDvc.Server.Appointments;
using GrpcDvc.Server.Appointments.Stations;
using GrpcDvc.Server.Audit;
using GrpcDvc.Server.Calendar;
using GrpcDvc.Server.Dossiers;
using GrpcDvc.Server.Catalog;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Officials;
using GrpcDvc.Server.Jobs;
using GrpcDvc.Server.Notifications;
using GrpcDvc.Server.Population;
using GrpcDvc.Server.Population.Loading;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Quartz;

namespace GrpcDvc.Server.Hosting;

/// <summary>Builds the whole server: configuration, listeners, storage, gRPC services.</summary>
public static class ServerHost
{
    /// <param name="configureServices">Last-minute additions before the container is built (tests: an interceptor).</param>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        var options = builder.Configuration.GetSection(DvcOptions.Section).Get<DvcOptions>() ?? new DvcOptions();
        var database = DatabaseTarget.From(options.Database, options.DataDir);
        var endpoints = new DvcEndpoints();
        builder.WebHost.ConfigureKestrel(kestrel => endpoints.Configure(kestrel, options));

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(database);
        builder.Services.AddSingleton(new DataDirectory(options.DataDir));
        builder.Services.AddSingleton(endpoints);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddDvcGrpc(options, builder.Environment);
        // Pooled: building a context and its options per call was a measurable share of a registry lookup.
        builder.Services.AddDbContextPool<DvcDbContext>(db => UseProvider(db, database));
        AddReadDatabase(builder.Services, database);
        builder.Services.AddCatalog();
        // The scheduler on its persistent store in the application's database; every capability adds its jobs to it.
        builder.Services.AddJobs(builder.Configuration.GetSection(JobsOptions.Section), database);
        builder.Services.AddIdentity(builder.Configuration.GetSection(IdentityOptions.Section));
        // Starts the scheduler with the application, after PrepareDatabaseAsync has migrated its tables; stops it with it.
        builder.Services.AddQuartzHostedService(quartz => quartz.WaitForJobsToComplete = true);
        builder.Services.AddPopulationRegistry(options.Population);
        builder.Services.AddAudit();
        builder.Services.AddCalendar(builder.Configuration.GetSection(CalendarOptions.Section));
        builder.Services.AddDossiers();
        builder.Services.AddNotifications();
        builder.Services.AddAppointments();
        configureServices?.Invoke(builder.Services);
        // After the tests' hook: a test stand-in that authenticates (sets the caller) runs before the gate.
        builder.Services.AddAccessControl(builder.Configuration.GetSection(AccessOptions.Section));
        builder.Services.AddDvcForwardedHeaders(options.ForwardedHeaders);

        var app = builder.Build();
        if (options.ForwardedHeaders.Enabled)
        {
            // First: everything after it (audit, lookup limits) sees the client the trusted proxy names.
            app.UseForwardedHeaders();
        }

        app.UseRouting();
        app.UseDvcGrpcWeb();
        app.UseAuthentication();
        app.MapInfrastructureServices();
        app.MapDvcService<CatalogGrpcService>();
        app.MapDvcService<IdentityGrpcService>();
        app.MapDvcService<PopulationGrpcService>();
        app.MapDvcService<AuditGrpcService>();
        app.MapDvcService<CalendarGrpcService>();
        app.MapDvcService<DossierGrpcService>();
        app.MapDvcService<JobsGrpcService>();
        app.MapDvcService<AppointmentGrpcService>();
        app.MapDvcService<StationGrpcService>();
        if (app.Services.GetRequiredService<IdentityOptions>().Development.Enabled)
        {
            // Stand-ins for the SMS gateway and VNeID: development, demo and tests only.
            app.MapDvcService<DevelopmentGrpcService>();
        }

        app.UsePortal();
        app.MapGet("/", () => Results.Text("GrpcDvc — the admin console arrives in a later release.\n"));
        app.Lifetime.ApplicationStarted.Register(() => StartupLog.Listening(
            app.Logger, $"{endpoints.GrpcUri.Scheme}://{endpoints.GrpcUri.Host}:{endpoints.GrpcPort}",
            $"{endpoints.WebUri.Scheme}://{endpoints.WebUri.Host}:{endpoints.WebPort}", database.Describe()));
        return app;
    }

    /// <summary>Migrates the schema and seeds the catalog; run before the server takes calls.</summary>
    public static async Task PrepareDatabaseAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        var database = app.Services.GetRequiredService<DatabaseTarget>();
        // Instances starting together on one database take turns: migrations and seeders check, then write.
        await using var held = await DatabaseLock.AcquireAsync(database, cancellationToken);
        DatabaseMigrator.MigrateUp(database, held);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
        var today = VietnamTime.DateOf(app.Services.GetRequiredService<TimeProvider>().GetUtcNow());
        var added = await CatalogSeeder.SeedAsync(db, CatalogData.Load(CatalogSeeder.DefaultDataPath), today, cancellationToken);
        await CatalogSeeder.SeedFormsAsync(db, FormsData.Load(FormsData.DefaultPath), cancellationToken);
        var described = database.Describe();
        StartupLog.DatabaseReady(app.Logger, described, added);
        var units = await PopulationStartup.SeedUnitsAsync(db, cancellationToken);
        var demo = await PopulationStartup.LoadDemoAsync(database, app.Services.GetRequiredService<DvcOptions>().Population, cancellationToken);
        StartupLog.PopulationReady(app.Logger, units, demo);
        var years = await CalendarSeeder.SeedAsync(scope.ServiceProvider.GetRequiredService<CalendarStore>(), CalendarData.Load(CalendarData.DefaultPath), cancellationToken);
        StartupLog.CalendarReady(app.Logger, years);
        await IdentityBootstrap.RunAsync(app.Services, app.Logger, cancellationToken);
        // Where the demo population is: two stations in the demo citizen's commune, so the demo can book.
        await DemoStations.SeedAsync(scope.ServiceProvider, app.Logger, cancellationToken);
        // Under the lock: instances starting together store the jobs, and apply a changed schedule, once.
        await JobStore.ReconcileAsync(app.Services, cancellationToken);
    }

    /// <summary>
    /// The registry's reads: a pooled context of their own over the standby when one is configured, else
    /// the primary's. A second context type rather than a second pool of DvcDbContext: whatever is written
    /// (DvcDbContext) cannot reach the standby by a mix-up of pools, and the standby's context refuses to save.
    /// </summary>
    private static void AddReadDatabase(IServiceCollection services, DatabaseTarget database)
    {
        if (database.ReadConnectionString is { } standby)
        {
            var reads = database with { ConnectionString = standby, ReadConnectionString = null };
            services.AddDbContextPool<StandbyDbContext>(db =>
            {
                UseProvider(db, reads);
                db.UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);
            });
            services.AddScoped(provider => new ReadDatabase(provider.GetRequiredService<StandbyDbContext>()));
        }
        else
        {
            services.AddScoped(provider => new ReadDatabase(provider.GetRequiredService<DvcDbContext>()));
        }
    }

    internal static void UseProvider(DbContextOptionsBuilder db, DatabaseTarget database)
    {
        _ = database.Provider switch
        {
            DatabaseProvider.Sqlite => db.UseSqlite(database.ConnectionString).UseSnakeCaseNamingConvention(),
            DatabaseProvider.Postgres => db.UseNpgsql(database.ConnectionString).UseSnakeCaseNamingConvention(),
            _ => throw new InvalidOperationException($"Unsupported provider {database.Provider}."),
        };
    }
}

internal static partial class StartupLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information,
        Message = "GrpcDvc listening: gRPC (h2c or TLS) on {GrpcUrl}, web on {WebUrl}; database {Database}.")]
    public static partial void Listening(ILogger logger, string grpcUrl, string webUrl, string database);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Database {Database} migrated; catalog seeding added {Added} procedures.")]
    public static partial void DatabaseReady(ILogger logger, string database, int added);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Population: {Units} administrative units added; demo population of {Citizens} citizens loaded.")]
    public static partial void PopulationReady(ILogger logger, int units, int citizens);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Calendar: {Years} announced years added from the data file.")]
    public static partial void CalendarReady(ILogger logger, int years);
}
