using Grpc.Core;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Contracts.Dossiers.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Population;
using GrpcDvc.Tests.Population;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Dossiers.Tracking;

/// <summary>
/// The real server (the registry tests' harness: stand-in callers, the test agency scope, two provinces)
/// with a dossier client, the dossier builder, and the callers the tracking tests act as.
/// </summary>
public sealed class TrackingServer : IAsyncDisposable
{
    public const string CitizenA = "citizen-a";
    public const string CitizenB = "citizen-b";
    public const string AuditorB = "auditor-b";

    private TrackingServer(RegistryServer registry)
    {
        Registry = registry;
        Rows = new DossierRows(registry.Server.Services);
        Dossiers = new DossierService.DossierServiceClient(registry.Server.Channel);
        CitizenAIdentity = registry.Callers.Citizen(CitizenA, IdNumber(1));
        CitizenBIdentity = registry.Callers.Citizen(CitizenB, IdNumber(2));
        registry.Callers.Official(AuditorB, RegistryTestData.ProvinceB, Role.Auditor);
    }

    public RegistryServer Registry { get; }

    public DossierRows Rows { get; }

    public DossierService.DossierServiceClient Dossiers { get; }

    public CallerIdentity CitizenAIdentity { get; }

    public CallerIdentity CitizenBIdentity { get; }

    public IServiceProvider Services => Registry.Server.Services;

    public static async Task<TrackingServer> StartAsync(string? postgres, params string[] extraArgs)
        => new(await RegistryServer.StartAsync(postgres, null, extraArgs));

    /// <summary>A valid personal ID number of Hà Nội (its birth-year and gender digits right), distinct per <paramref name="serial"/>.</summary>
    public static string IdNumber(int serial) => PersonalIdNumber.Create("001", 1990, Gender.Female, 500 + serial).Value;

    public static CallOptions As(string caller, CancellationToken cancellationToken = default)
        => RegistryServer.As(caller).WithCancellationToken(cancellationToken);

    public Task<Server.Dossiers.DossierRecord> AddForCitizenAAsync(
        string unitCode = RegistryTestData.ProvinceA, TimeSpan? submittedAfterStart = null, DateTimeOffset? dueAt = null, string? concerned = null,
        bool noDueTime = false, int attachments = 0, string procedure = DossierRows.Procedure)
        => Rows.AddAsync(CitizenAIdentity.AccountId, CitizenAIdentity.IdNumber!, unitCode, submittedAfterStart, dueAt, procedure, concerned, noDueTime, attachments);

    public Server.Dossiers.Tracking.DossierChangeFeed Feed => Services.GetRequiredService<Server.Dossiers.Tracking.DossierChangeFeed>();

    public ValueTask DisposeAsync() => Registry.DisposeAsync();
}
