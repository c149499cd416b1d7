namespace GrpcDvc.Server.Access;

/// <summary>
/// The "Dvc:Access" configuration section. Lists are empty by default and the defaults below
/// apply then (the configuration binder appends to a list rather than replacing it).
/// </summary>
public sealed class AccessOptions
{
    public const string Section = "Dvc:Access";

    /// <summary>
    /// Infrastructure services every caller may use although their protos (from grpc) carry no
    /// policy: health checking, for load balancers, and server reflection, for tools. Nothing else
    /// gets through without a policy.
    /// </summary>
    public static IReadOnlyList<string> InfrastructureServices { get; } =
    [
        "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection",
        "grpc.reflection.v1alpha.ServerReflection",
    ];

    /// <summary>
    /// Further services let through without a policy. Empty in production; tests put their harness
    /// services here (the probe service, grpc.testing.TestService of the interop clients).
    /// </summary>
    public List<string> ServicesWithoutPolicy { get; set; } = [];

    /// <summary>Agency units that cover the whole country. Default: "BCA" (Bộ Công an, the Ministry).</summary>
    public List<string> NationalUnits { get; set; } = [];

    /// <summary>
    /// Services whose rpcs read citizens' data and count against the lookup limits
    /// (Dvc:Identity:RateLimits:LookupPerAddress / LookupPerAccount). Default: the population service.
    /// </summary>
    public List<string> LookupLimitedServices { get; set; } = [];

    /// <summary>How often agency scope rereads the administrative units when it meets a code it does not know.</summary>
    public TimeSpan UnitReloadInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long agency scope trusts the administrative units it read: older than this, the next check
    /// rereads them even when every code is known, so a unit moved or merged in the database counts
    /// within this time.
    /// </summary>
    public TimeSpan UnitMaxAge { get; set; } = TimeSpan.FromMinutes(10);

    public IReadOnlyList<string> EffectiveNationalUnits => NationalUnits.Count > 0 ? NationalUnits : ["BCA"];

    public IReadOnlyList<string> EffectiveLookupLimitedServices
        => LookupLimitedServices.Count > 0 ? LookupLimitedServices : ["dvc.population.v1.PopulationService"];
}
