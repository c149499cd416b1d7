using GrpcDvc.Server.Population.Generation;

namespace GrpcDvc.Server.Population.Loading;

/// <summary>A store that keeps nothing: <c>--dry-run</c> measures the generator alone, without a database.</summary>
internal sealed class DiscardingPopulationStore : IPopulationStore
{
    public Task<PopulationCounts> CountAsync(CancellationToken cancellationToken) => Task.FromResult(new PopulationCounts(0, 0, 0, 0));

    public Task<PopulationIdStart> NextIdsAsync(CancellationToken cancellationToken) => Task.FromResult(new PopulationIdStart());

    public Task BeginAsync(bool replace, bool bulk, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task WriteAsync(PopulationChunk chunk, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task CompleteAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task AbortAsync(PopulationIdStart start) => Task.CompletedTask;

    public Task<long> DatabaseSizeAsync(CancellationToken cancellationToken) => Task.FromResult(0L);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
