using System.Diagnostics;
using System.Threading.Channels;
using GrpcDvc.Server.Population.Generation;
using GrpcDvc.Server.Storage;

namespace GrpcDvc.Server.Population.Loading;

/// <summary>
/// Generates a population and writes it to the configured database. Generation runs on its own
/// thread, one chunk ahead of the writer, through a channel of two chunks: memory is a few
/// chunks, whatever the count, and the generator and the database work at the same time.
/// </summary>
public sealed class PopulationLoader(DatabaseTarget database, AdministrativeUnitData units)
{
    public async Task<PopulationLoadSummary> LoadAsync(PopulationLoadRequest request, IProgress<PopulationLoadProgress>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var store = request.DryRun ? new DiscardingPopulationStore() : await OpenAsync(cancellationToken);
        var existing = await store.CountAsync(cancellationToken);
        if (existing.Citizens > 0 && request.Mode == PopulationLoadMode.IfEmpty)
        {
            throw new PopulationAlreadyLoadedException(existing);
        }

        // Starting from empty tables lets PostgreSQL truncate them in the load's transaction and COPY
        // with FREEZE (and, at wal_level=minimal, without WAL).
        var replace = request.Mode == PopulationLoadMode.Replace || existing.Rows == 0;
        var start = replace ? new PopulationIdStart() : await store.NextIdsAsync(cancellationToken);
        var bulk = request.Count >= request.BulkFrom;
        var generator = new PopulationGenerator(units, new PopulationGeneratorOptions(request.Count, request.Seed, request.AsOf));
        var written = new PopulationCounts(0, 0, 0, 0);
        var writing = TimeSpan.Zero;
        await store.BeginAsync(replace, bulk, cancellationToken);
        try
        {
            var chunks = Channel.CreateBounded<PopulationChunk>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var producer = Task.Run(() => Produce(generator, start, request.HouseholdsPerChunk, chunks.Writer, stop.Token), stop.Token);
            try
            {
                await foreach (var chunk in chunks.Reader.ReadAllAsync(stop.Token))
                {
                    await store.WriteAsync(chunk, stop.Token);
                    written = new PopulationCounts(
                        written.Citizens + chunk.Citizens.Count, written.Households + chunk.Households.Count,
                        written.Documents + chunk.Documents.Count, written.Residences + chunk.Residences.Count);
                    progress?.Report(new PopulationLoadProgress(PopulationLoadPhase.Writing, written, request.Count, clock.Elapsed));
                }
            }
            finally
            {
                await stop.CancelAsync();
                await producer.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            }

            await producer;
            writing = clock.Elapsed;
            progress?.Report(new PopulationLoadProgress(PopulationLoadPhase.Indexing, written, request.Count, clock.Elapsed));
            await store.CompleteAsync(cancellationToken);
        }
        catch
        {
            await store.AbortAsync(start);
            throw;
        }

        var size = await store.DatabaseSizeAsync(cancellationToken);
        progress?.Report(new PopulationLoadProgress(PopulationLoadPhase.Done, written, request.Count, clock.Elapsed));
        return new PopulationLoadSummary(written, clock.Elapsed, writing, size, request.DryRun ? "nowhere (dry run)" : database.Describe());
    }

    /// <summary>Rows already in the population tables.</summary>
    public async Task<PopulationCounts> CountAsync(CancellationToken cancellationToken)
    {
        await using var store = await OpenAsync(cancellationToken);
        return await store.CountAsync(cancellationToken);
    }

    private async Task<IPopulationStore> OpenAsync(CancellationToken cancellationToken) => database.Provider switch
    {
        DatabaseProvider.Postgres => await PostgresPopulationStore.OpenAsync(database.ConnectionString, cancellationToken),
        DatabaseProvider.Sqlite => await SqlitePopulationStore.OpenAsync(database.ConnectionString, cancellationToken),
        _ => throw new InvalidOperationException($"No population loader for {database.Provider}."),
    };

    private static async Task Produce(PopulationGenerator generator, PopulationIdStart start, int householdsPerChunk, ChannelWriter<PopulationChunk> output, CancellationToken cancellationToken)
    {
        try
        {
            var chunk = new PopulationChunk(householdsPerChunk);
            foreach (var household in generator.Generate(start))
            {
                chunk.Add(household);
                if (chunk.Households.Count == householdsPerChunk)
                {
                    await output.WriteAsync(chunk, cancellationToken);
                    chunk = new PopulationChunk(householdsPerChunk);
                }
            }

            if (chunk.Households.Count > 0)
            {
                await output.WriteAsync(chunk, cancellationToken);
            }

            output.Complete();
        }
        catch (Exception ex)
        {
            output.Complete(ex);
            throw;
        }
    }
}
