namespace GrpcDvc.Server.Access;

/// <summary>
/// Where a request comes from, as the service edge sees it: the client address (the peer, or the
/// first X-Forwarded-For hop a trusted proxy set) and its user agent. Rate limits and the
/// sign-in audit key on these.
/// </summary>
public sealed record ClientContext(string? Address, string? UserAgent = null)
{
    public static ClientContext Unknown { get; } = new(Address: null);

    /// <summary>The rate-limit key for the address; every unknown address shares one bucket.</summary>
    internal string AddressKey => string.IsNullOrWhiteSpace(Address) ? "?" : Address;
}
