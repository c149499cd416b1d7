using GrpcDvc.Server.Storage;

namespace GrpcDvc.Server.Population.DataAccessLog;

/// <summary>
/// Group commit for the access log. A read hands over its entries and waits until they are committed;
/// entries that arrive while a batch is being committed go together in the next one, in one transaction,
/// so N concurrent reads cost one INSERT batch and one commit (one disk flush) instead of N.
/// No data leaves before its entries are committed: when a batch fails, every read in it fails with the
/// batch's exception (the caller answers UNAVAILABLE with no data).
/// A read that finds fewer than <see cref="AccessLogWriterOptions.Committers"/> batches under way commits
/// its own entries (and any waiting) on its own call, with no hand-off to another thread: at low load a
/// read costs one INSERT, and commits overlap as PostgreSQL's own group commit of WAL flushes allows.
/// A read that finds them all busy waits; when a batch is done, the entries waiting meanwhile are
/// committed by a background task, one batch after another until none wait. There is no timer: batches
/// grow with the load.
/// </summary>
public sealed class AccessLogWriter(IServiceScopeFactory scopes, PopulationOptions options) : IHostedService
{
    private readonly Lock _lock = new();
    private List<PendingEntries> _waiting = [];
    private int _committers;
    private bool _closed;

    /// <summary>Reads whose entries wait for the next batch (not those in the batch being committed).</summary>
    public int Waiting
    {
        get
        {
            lock (_lock)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>Writes the entries and returns once they are committed; throws the database's exception when they are not.</summary>
    /// <exception cref="AccessLogClosedException">The server is stopping and takes no more entries.</exception>
    public async Task WriteAsync(IReadOnlyList<DataAccessRecord> entries, CancellationToken cancellationToken)
    {
        var pending = new PendingEntries(entries);
        bool lead;
        lock (_lock)
        {
            if (_closed)
            {
                throw new AccessLogClosedException();
            }

            _waiting.Add(pending);
            lead = _committers < Math.Max(1, options.AccessLog.Committers);
            if (lead)
            {
                _committers++;
            }
        }

        // Another committer may take this read's entries first: this one then stops and waits like any other.
        while (lead && TakeBatchOrRelease() is { } batch)
        {
            await CommitAsync(batch);
            if (pending.Committed.Task.IsCompleted)
            {
                HandOver();
                break;
            }
        }

        // A caller that gives up still leaves its entries to be written: a read logged but not served is
        // harmless, the reverse is what the log exists to prevent.
        await pending.Committed.Task.WaitAsync(cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Takes no more entries, and returns once those handed over are written.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _closed = true;
        }

        while (true)
        {
            lock (_lock)
            {
                if (_committers == 0)
                {
                    return;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken);
        }
    }

    /// <summary>The next batch; or, when nothing waits, null, and this committer is no longer one.</summary>
    private List<PendingEntries>? TakeBatchOrRelease()
    {
        lock (_lock)
        {
            if (_waiting.Count == 0)
            {
                _committers--;
                return null;
            }

            var batch = new List<PendingEntries>();
            var rows = 0;
            var taken = 0;
            // A read's entries (a search page) always go whole, so a batch may pass MaxBatch by one read's worth.
            while (taken < _waiting.Count && (taken == 0 || rows < options.AccessLog.MaxBatch))
            {
                rows += _waiting[taken].Entries.Count;
                batch.Add(_waiting[taken++]);
            }

            _waiting.RemoveRange(0, taken);
            return batch;
        }
    }

    /// <summary>After a caller's own batch: entries that arrived meanwhile are committed in the background, so that caller replies now.</summary>
    private void HandOver()
    {
        lock (_lock)
        {
            if (_waiting.Count == 0)
            {
                _committers--;
                return;
            }
        }

        _ = Task.Run(CommitWaitingAsync, CancellationToken.None);
    }

    private async Task CommitWaitingAsync()
    {
        while (TakeBatchOrRelease() is { } batch)
        {
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

        // Waiting reads resume on the thread pool, so releasing a batch does not run their replies on the committer's call.
        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>The access log takes no more entries because the server is stopping.</summary>
public sealed class AccessLogClosedException() : Exception("The access log is closed: the server is stopping.");
