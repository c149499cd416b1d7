using GrpcDvc.Server.Hosting;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.Assertions;
using GrpcDvc.Server.Identity.Registration;
using GrpcDvc.Server.Storage;
using GrpcDvc.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// The identity services as the server registers them (AddIdentity), over a real migrated
/// database — SQLite in a temp folder or a PostgreSQL database — with a fake clock, a fake
/// registry and the development issuer switched on. No host, no gRPC.
/// </summary>
public sealed class IdentityHarness : IAsyncDisposable
{
    private readonly string _dataDir;

    private IdentityHarness(ServiceProvider services, string dataDir, FakeTimeProvider time, FakeCitizenRegistry registry)
    {
        Services = services;
        _dataDir = dataDir;
        Time = time;
        Registry = registry;
    }

    public ServiceProvider Services { get; }

    public FakeTimeProvider Time { get; }

    public FakeCitizenRegistry Registry { get; }

    public string DataDir => _dataDir;

    public SmsOutbox Sms => Services.GetRequiredService<SmsOutbox>();

    public DevelopmentIdentityIssuer Issuer => Services.GetRequiredService<DevelopmentIdentityIssuer>();

    /// <param name="configure">Services a test adds before AddIdentity: its TryAdd registrations (the SMS gateway) then keep the test's.</param>
    public static IdentityHarness Start(string? postgresConnectionString = null, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), $"grpcdvc-identity-{Guid.NewGuid():N}");
        var options = new DvcOptions { DataDir = dataDir };
        if (postgresConnectionString is not null)
        {
            options.Database = new DatabaseOptions { Provider = "postgres", ConnectionString = postgresConnectionString };
        }

        var target = DatabaseTarget.From(options.Database, options.DataDir);
        DatabaseMigrator.MigrateUp(target);

        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Dvc:Identity:DevelopmentIssuer:Enabled"] = "true",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var time = new FakeTimeProvider();
        var registry = new FakeCitizenRegistry();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(options)
            .AddSingleton<TimeProvider>(time)
            .AddSingleton<ICitizenRegistryCheck>(registry)
            // AddIdentity registers the gRPC service too, which checks agency scope; these use-case tests never call it.
            .AddSingleton<GrpcDvc.Server.Access.IAgencyScope, Population.TestAgencyScope>()
            .AddDbContext<DvcDbContext>(db => ServerHost.UseProvider(db, target));
        configure?.Invoke(services);
        services.AddIdentity(configuration.GetSection(IdentityOptions.Section));
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        return new IdentityHarness(provider, dataDir, time, registry);
    }

    /// <summary>Runs one use case in its own scope, as one rpc would.</summary>
    public async Task<TResult> RunAsync<TService, TResult>(Func<TService, Task<TResult>> call)
        where TService : notnull
    {
        await using var scope = Services.CreateAsyncScope();
        return await call(scope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <summary>Reads the database in a fresh scope.</summary>
    /// <summary>A citizen account as registration leaves one, for tests of what comes after (tokens, sessions).</summary>
    public async Task<CitizenAccountRecord> AddCitizenAccountAsync()
    {
        var citizen = new CitizenAccountRecord
        {
            Id = Guid.NewGuid(),
            IdNumber = "001203004567",
            FullName = "Nguyễn Văn An",
            BirthDate = new DateOnly(1990, 5, 17),
            CreatedAt = Time.GetUtcNow().UtcDateTime,
        };
        await QueryAsync(db =>
        {
            db.Add(citizen);
            return db.SaveChangesAsync();
        });
        return citizen;
    }

    public async Task<TResult> QueryAsync<TResult>(Func<DvcDbContext, Task<TResult>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<DvcDbContext>());
    }

    /// <summary>The newest OTP code texted to a phone, read from the SMS outbox as the citizen reads their inbox.</summary>
    public async Task<string> LatestCodeAsync(string phone)
    {
        var inbox = await Sms.InboxAsync(phone);
        Assert.NotEmpty(inbox);
        var match = System.Text.RegularExpressions.Regex.Match(inbox[0].Text ?? "", @"\b(\d{6})\b");
        Assert.True(match.Success, $"no code in '{inbox[0].Text}'");
        return match.Groups[1].Value;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
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
