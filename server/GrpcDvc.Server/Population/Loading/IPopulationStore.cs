using GrpcDvc.Server.Population.Generation;

namespace GrpcDvc.Server.Population.Loading;

/// <summary>
/// The database side of a load, one implementation per provider: PostgreSQL writes with binary
/// COPY inside one transaction; SQLite with prepared inserts in batched transactions.
/// </summary>
internal interface IPopulationStore : IAsyncDisposable
{
    /// <summary>Rows already in the four population tables.</summary>
    Task<PopulationCounts> CountAsync(CancellationToken cancellationToken);

    /// <summary>The next free id of each table and the ID numbers already handed out, so an appended load follows on.</summary>
    Task<PopulationIdStart> NextIdsAsync(CancellationToken cancellationToken);

    /// <summary>Starts the load: empties the tables when <paramref name="replace"/> (a replace, or tables already empty); drops secondary indexes for a bulk load.</summary>
    Task BeginAsync(bool replace, bool bulk, CancellationToken cancellationToken);

    Task WriteAsync(PopulationChunk chunk, CancellationToken cancellationToken);

    /// <summary>Re-creates what <see cref="BeginAsync"/> dropped and makes the load durable.</summary>
    Task CompleteAsync(CancellationToken cancellationToken);

    /// <summary>Undoes a load that failed part-way, so no half-loaded population stays behind.</summary>
    Task AbortAsync(PopulationIdStart start);

    /// <summary>The size of the whole database on disk, in bytes.</summary>
    Task<long> DatabaseSizeAsync(CancellationToken cancellationToken);
}

/// <summary>Row counts of the population tables.</summary>
public sealed record PopulationCounts(long Citizens, long Households, long Documents, long Residences)
{
    public long Rows => Citizens + Households + Documents + Residences;
}
