namespace GrpcDvc.Server.Dossiers.Attachments;

/// <summary>
/// How many uploads each citizen is streaming on this instance: each one holds a buffer of up to the per-file
/// limit on disk, so one account opening a hundred streams must not fill it.
/// </summary>
public sealed class UploadsInFlight(AttachmentOptions options)
{
    private readonly Dictionary<Guid, int> _counts = [];

    /// <summary>A slot (dispose it when the upload ends), or null when the citizen already streams the maximum.</summary>
    public IDisposable? TryEnter(Guid owner)
    {
        lock (_counts)
        {
            var now = _counts.GetValueOrDefault(owner);
            if (now >= options.MaxUploadsInFlightPerOwner)
            {
                return null;
            }

            _counts[owner] = now + 1;
        }

        return new Slot(this, owner);
    }

    private void Leave(Guid owner)
    {
        lock (_counts)
        {
            if (--_counts[owner] == 0)
            {
                _counts.Remove(owner);
            }
        }
    }

    private sealed class Slot(UploadsInFlight owner, Guid account) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                owner.Leave(account);
            }
        }
    }
}
