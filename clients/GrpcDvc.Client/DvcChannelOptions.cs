using System.Net.Security;
using Grpc.Core;

namespace GrpcDvc.Client;

/// <summary>How a client connects to GrpcDvc. Every default is what a portal in production would want.</summary>
public sealed class DvcChannelOptions
{
    /// <summary>Attached to every call, e.g. <see cref="AccessTokenCredentials.From"/>; null sends no token.</summary>
    public CallCredentials? Credentials { get; set; }

    /// <summary>
    /// Send access tokens over plain h2c. Only for loopback or a private network behind a TLS-terminating
    /// balancer: anyone on the path could read the token. Default false.
    /// </summary>
    public bool AllowTokensWithoutTls { get; set; }

    /// <summary>Largest response accepted (default 16 MiB; the server's own default limit is 4 MiB per request).</summary>
    public int? MaxReceiveMessageSize { get; set; } = 16 * 1024 * 1024;

    /// <summary>Largest request sent; null = no client-side limit (the server enforces its own).</summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>Idle time before an HTTP/2 PING checks the connection (default 60 s).</summary>
    public TimeSpan KeepAlivePingDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long to wait for a TCP/TLS connection (default 10 s).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Overrides TLS server-certificate validation (a private CA in a ministry network; tests).</summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; set; }
}
