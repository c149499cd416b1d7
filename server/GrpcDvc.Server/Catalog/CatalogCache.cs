using GrpcDvc.Server.Catalog.Forms;
using GrpcDvc.Server.Storage;

namespace GrpcDvc.Server.Catalog;

/// <summary>
/// The catalog rows every submission reads (the procedure, its dated terms, its form's definition),
/// kept in memory for a minute. The catalog changes only when a release's seeder loads new data at
/// start-up, so an instance still running the old copy serves it for at most <see cref="Lifetime"/>;
/// a submission no longer pays three round trips for facts that change a few times a year.
/// Cached records are shared between calls and must not be modified.
/// </summary>
public sealed class CatalogCache(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    // 35 procedures today; the bound only guards against a caller walking unknown codes.
    private const int Capacity = 1_024;

    internal BoundedCache<string, ProcedureRecord?> Procedures { get; } = new(Capacity, Lifetime, time);

    internal BoundedCache<string, CachedTerms?> Terms { get; } = new(Capacity, Lifetime, time);

    /// <summary>A procedure's stored terms parsed once, and its online form's definition (null: none, or not known).</summary>
    internal sealed record CachedTerms(string Code, ProcedureTermsData? Terms, FormDefinition? Form);
}
