using GrpcDvc.Server.Population;
using GrpcDvc.Server.Storage;

namespace GrpcDvc.Server.Hosting;

/// <summary>The "Dvc" configuration section (appsettings, Dvc__X environment variables, --Dvc:X= arguments).</summary>
public sealed class DvcOptions
{
    public const string Section = "Dvc";

    /// <summary>The gRPC endpoint: h2c for http://, HTTP/2 over TLS for https:// (needs Tls:CertificatePath).</summary>
    public string GrpcUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>HTTP/1.1 + HTTP/2: the admin console and gRPC-Web.</summary>
    public string WebUrl { get; set; } = "http://127.0.0.1:5000";

    /// <summary>Where the embedded database and other local files live.</summary>
    public string DataDir { get; set; } = "./data";

    public DatabaseOptions Database { get; set; } = new();

    public TlsOptions Tls { get; set; } = new();

    public PopulationOptions Population { get; set; } = new();

    public Http2LimitOptions Http2 { get; set; } = new();

    public GrpcLimitOptions Grpc { get; set; } = new();

    public GrpcWebSettings GrpcWeb { get; set; } = new();

    public HealthOptions Health { get; set; } = new();

    /// <summary>Trusted reverse proxies whose X-Forwarded-For gives the client address.</summary>
    public ForwardedHeadersSettings ForwardedHeaders { get; set; } = new();
}

/// <summary>Message-size limits of every rpc (grpc-dotnet's own limits; beyond them RESOURCE_EXHAUSTED).</summary>
public sealed class GrpcLimitOptions
{
    /// <summary>Largest request message accepted (default 4 MiB).</summary>
    public int MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest response message sent; null = no limit.</summary>
    public int? MaxSendMessageSize { get; set; }
}

/// <summary>Browsers' gRPC-Web calls from other origins (CORS).</summary>
public sealed class GrpcWebSettings
{
    /// <summary>Origins whose pages may call across origins; empty = same origin only; "*" = any, without credentials.</summary>
    public List<string> AllowedOrigins { get; set; } = [];
}

/// <summary>How often the health checks run for grpc.health.v1 (Check answers from the last run; Watch sees each change).</summary>
public sealed class HealthOptions
{
    /// <summary>Between two runs of the checks (default 5 s; at least 1 s).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>Kestrel's HTTP/2 limits, the transport half of the gRPC limits (message sizes are Dvc:Grpc).</summary>
public sealed class Http2LimitOptions
{
    /// <summary>Concurrent streams (calls) per connection; more wait for a free one (SETTINGS_MAX_CONCURRENT_STREAMS).</summary>
    public int MaxStreamsPerConnection { get; set; } = 100;

    /// <summary>All request headers of one call together (metadata included); larger ones are refused before any handler runs.</summary>
    public int MaxRequestHeadersTotalSize { get; set; } = 32 * 1024;

    /// <summary>A connection with no call in flight is closed after this long (Kestrel's KeepAliveTimeout; its default).</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(130);

    /// <summary>
    /// A new connection must send its HTTP/2 preface, and a call its headers, within this long (Kestrel's
    /// RequestHeadersTimeout; its default): a socket that connects and says nothing is closed after it.
    /// </summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>After this long without a frame from the client the server sends an HTTP/2 PING; null = never (Kestrel's default).</summary>
    public TimeSpan? KeepAlivePingDelay { get; set; }

    /// <summary>A PING unanswered for this long closes the connection (Kestrel's default 20 s).</summary>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Open connections per listener; null = no limit (Kestrel's default). Past it, new connections are closed at once.</summary>
    public long? MaxConnections { get; set; }
}

public sealed class TlsOptions
{
    /// <summary>A PKCS#12 (.pfx) certificate used by https:// endpoints.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }
}
