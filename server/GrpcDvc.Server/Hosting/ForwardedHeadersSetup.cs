using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace GrpcDvc.Server.Hosting;

/// <summary>
/// The "Dvc:ForwardedHeaders" section: the reverse proxies (load balancers) whose X-Forwarded-For
/// header names the real client. Only these are believed; a header from any other peer is ignored,
/// so a caller cannot pick the address its sign-ins are audited and its lookups counted under.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    /// <summary>Addresses of trusted proxies (e.g. "10.0.0.5").</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation (e.g. "10.0.0.0/24").</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>How many proxies, from the nearest, to walk back through X-Forwarded-For (one load balancer: 1).</summary>
    public int ForwardLimit { get; set; } = 1;

    public bool Enabled => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}

internal static class ForwardedHeadersSetup
{
    /// <summary>ASP.NET Core's forwarded-headers middleware, trusting exactly the configured proxies (none by default, not even loopback).</summary>
    public static IServiceCollection AddDvcForwardedHeaders(this IServiceCollection services, ForwardedHeadersSettings settings)
        => services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            forwarded.ForwardLimit = settings.ForwardLimit;
            // The framework trusts loopback out of the box; here only what the operator named is trusted.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in settings.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.TryParse(proxy.Trim(), out var address)
                    ? address
                    : throw new InvalidOperationException($"Dvc:ForwardedHeaders:KnownProxies: '{proxy}' is not an IP address."));
            }

            foreach (var network in settings.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network.Trim(), out var parsed)
                    ? parsed
                    : throw new InvalidOperationException($"Dvc:ForwardedHeaders:KnownNetworks: '{network}' is not a network in CIDR notation."));
            }
        });
}
