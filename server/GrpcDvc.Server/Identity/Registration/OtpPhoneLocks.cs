namespace GrpcDvc.Server.Identity.Registration;

/// <summary>
/// The process's locks for sends to a phone where the database has none to offer (SQLite, one process): striped,
/// so they stay few however many phones there are; two phones sharing a stripe only wait on each other.
/// </summary>
public sealed class OtpPhoneLocks : IDisposable
{
    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    public SemaphoreSlim For(string phone) => _stripes[(int)((uint)StringComparer.Ordinal.GetHashCode(phone) % (uint)_stripes.Length)];

    public void Dispose()
    {
        foreach (var stripe in _stripes)
        {
            stripe.Dispose();
        }
    }
}
