using System.Threading.Channels;
using GrpcDvc.Server.Storage;

namespace GrpcDvc.Server.Population.DataAccessLog;

/// <summary>
/// Group commit for the access log. Concurrent reads hand their entries to one writer, which inserts
/// everything waiting in one transaction and then releases each read whose entries it committed, so
/// N concurrent reads cost one INSERT batch and one commit (one disk flush) instead of N.
/// A read waits for its own entries to be committed before any data leaves: when a batch fails, every
/// read in it fails with the batch's exception (the caller answers UNAVAILABLE with no data).
/// There is no timer: the writer takes what arrived while the previous batch was being committed,
/// so a lone read pays only a hand-off, and batches grow with the load.
/// </summary>
public sealed class AccessLogWriter(IServiceScopeFactory scopes, PopulationOptions options) : IHostedService, IDisposable
{
    private readonly Channel<PendingEntries> _pending = Channel.CreateBounded<PendingEntries>(
        new BoundedChannelOptions(Math.Max(1, options.AccessLog.QueueCapacity)) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private Task _loop = Task.CompletedTask;

    /// <summary>Reads whose entries wait for the next batch (not those in the batch being committed).</summary>
    public int Waiting => _pending.Reader.Count;

    /// <summary>Writes the entries and returns once they are committed; throws the database's exception when they are not.</summary>
    /// <exception cref="AccessLogClosedException">The server is stopping and takes no more entries.</exception>
    public async Task WriteAsync(IReadOnlyList<DataAccessRecord> entries, CancellationToken cancellationToken)
    {
        var pending = new PendingEntries(entries);
        try
        {
            await _pending.Writer.WriteAsync(pending, cancellationToken);
        }
        catch (ChannelClosedException e)
        {
            throw new AccessLogClosedException(e);
        }

        // A caller that gives up still leaves its entries to be written: a read logged but not served is
        // harmless, the reverse is what the log exists to prevent.
        await pending.Committed.Task.WaitAsync(cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Takes no more entries, and writes those already handed over before the server stops.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _pending.Writer.TryComplete();
        await _loop.WaitAsync(cancellationToken);
    }

    public void Dispose() => _pending.Writer.TryComplete();

    private async Task RunAsync()
    {
        var batch = new List<PendingEntries>();
        var reader = _pending.Reader;
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            var rows = 0;
            while (rows < options.AccessLog.MaxBatch && reader.TryRead(out var next))
            {
                batch.Add(next);
                rows += next.Entries.Count;
            }

            await CommitAsync(batch);
        }
    }

    private async Task CommitAsync(List<PendingEntries> batch)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
            foreach (var pending in batch)
            {
                db.Set<DataAccessRecord>().AddRange(pending.Entries);
            }

            // One SaveChanges: EF sends the INSERTs as one batch in one transaction, all or none.
            await db.SaveChangesAsync(CancellationToken.None);
        }
#pragma warning disable CA1031 // Whatever failed the batch is every waiting read's failure, handed to each of them.
        catch (Exception e)
#pragma warning restore CA1031
        {
            foreach (var pending in batch)
            {
                pending.Committed.TrySetException(e);
            }

            return;
        }

        foreach (var pending in batch)
        {
            pending.Committed.TrySetResult();
        }
    }

    private sealed class PendingEntries(IReadOnlyList<DataAccessRecord> entries)
    {
        public IReadOnlyList<DataAccessRecord> Entries { get; } = entries;

        // Continuations run off the writer's loop, so releasing a batch of readers does not delay the next batch.
        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>The access log takes no more entries because the server is stopping.</summary>
public sealed class AccessLogClosedException(Exception inner) : Exception("The access log is closed: the server is stopping.", inner);
