namespace GrpcDvc.Server.Dossiers.Tracking;

/// <summary>
/// The in-process announcements of committed changes that WatchDossier listens to. A watch subscribes
/// to one dossier code; <see cref="Changed"/> wakes that code's subscribers. A wake-up is a flag, not a
/// queue: announcements made while a watcher is busy fold into one (it rereads everything newer than
/// what it sent), so nothing grows with the rate of changes. A subscription removes itself when its
/// watch ends, and a code with no subscriber left holds no entry. It also counts each account's open
/// watches, so one caller cannot hold an unbounded number of streams.
/// </summary>
public sealed class DossierChangeFeed : IDossierChanges
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, HashSet<Subscription>> _byCode = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, int> _watchesByAccount = [];

    public void Changed(string dossierCode)
    {
        Subscription[] woken;
        lock (_lock)
        {
            if (!_byCode.TryGetValue(dossierCode, out var subscribers))
            {
                return;
            }

            woken = [.. subscribers];
        }

        foreach (var subscription in woken)
        {
            subscription.Wake();
        }
    }

    /// <summary>Subscriptions open now (for tests and metrics).</summary>
    public int Subscribers
    {
        get
        {
            lock (_lock)
            {
                return _byCode.Values.Sum(s => s.Count);
            }
        }
    }

    /// <summary>Codes with at least one subscriber.</summary>
    public int Codes
    {
        get
        {
            lock (_lock)
            {
                return _byCode.Count;
            }
        }
    }

    /// <summary>Opens a subscription for <paramref name="accountId"/>'s watch of a dossier; null when the account already holds <paramref name="maxPerAccount"/>.</summary>
    public Subscription? TrySubscribe(Guid accountId, string dossierCode, int maxPerAccount)
    {
        lock (_lock)
        {
            var open = _watchesByAccount.GetValueOrDefault(accountId);
            if (open >= maxPerAccount)
            {
                return null;
            }

            _watchesByAccount[accountId] = open + 1;
            var subscription = new Subscription(this, accountId, dossierCode);
            if (!_byCode.TryGetValue(dossierCode, out var subscribers))
            {
                _byCode[dossierCode] = subscribers = [];
            }

            subscribers.Add(subscription);
            return subscription;
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_lock)
        {
            if (_byCode.TryGetValue(subscription.Code, out var subscribers) && subscribers.Remove(subscription) && subscribers.Count == 0)
            {
                _byCode.Remove(subscription.Code);
            }

            if (_watchesByAccount.TryGetValue(subscription.AccountId, out var open))
            {
                if (open <= 1)
                {
                    _watchesByAccount.Remove(subscription.AccountId);
                }
                else
                {
                    _watchesByAccount[subscription.AccountId] = open - 1;
                }
            }
        }
    }

    /// <summary>One watch's wake-ups. Dispose when the watch ends.</summary>
    public sealed class Subscription : IDisposable
    {
        private readonly DossierChangeFeed _feed;
        private readonly SemaphoreSlim _signal = new(0, 1);
        private int _disposed;

        internal Subscription(DossierChangeFeed feed, Guid accountId, string code)
        {
            _feed = feed;
            AccountId = accountId;
            Code = code;
        }

        public Guid AccountId { get; }

        public string Code { get; }

        /// <summary>
        /// Waits for an announcement or for <paramref name="timeout"/>, whichever comes first: true when
        /// announced. An announcement made since the last wait counts at once.
        /// </summary>
        public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
            => _signal.WaitAsync(timeout, cancellationToken);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                _feed.Remove(this);
                _signal.Dispose();
            }
        }

        internal void Wake()
        {
            try
            {
                // The semaphore's maximum of 1 is the folding: a second wake-up before the wait finds it already set.
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
            }
            catch (ObjectDisposedException)
            {
                // The watch ended between the snapshot of subscribers and this wake-up.
            }
        }
    }
}
