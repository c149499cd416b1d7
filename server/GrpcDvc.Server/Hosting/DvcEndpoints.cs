using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace GrpcDvc.Server.Hosting;

/// <summary>
/// The two listeners: gRPC (HTTP/2 only: h2c by prior knowledge, or over TLS) and web (HTTP/1.1, plus
/// HTTP/2 over TLS) for browsers: gRPC-Web, the sample portal and, later, the admin console. Both route
/// to the same endpoints; what tells them apart is the protocol each speaks (a browser cannot speak h2c,
/// a native gRPC client cannot call over HTTP/1.1). Keeps the bound ListenOptions so the real ports are
/// known after start, port 0 included.
/// </summary>
public sealed class DvcEndpoints
{
    private ListenOptions? _grpc;
    private ListenOptions? _web;

    public int GrpcPort => (_grpc?.IPEndPoint ?? throw NotBound()).Port;

    public int WebPort => (_web?.IPEndPoint ?? throw NotBound()).Port;

    public Uri GrpcUri { get; private set; } = new("http://127.0.0.1:5080");

    public Uri WebUri { get; private set; } = new("http://127.0.0.1:5000");

    public void Configure(KestrelServerOptions kestrel, DvcOptions options)
    {
        GrpcUri = Parse(options.GrpcUrl, "Dvc:GrpcUrl");
        WebUri = Parse(options.WebUrl, "Dvc:WebUrl");
        X509Certificate2? certificate = null;
        if (GrpcUri.Scheme == Uri.UriSchemeHttps || WebUri.Scheme == Uri.UriSchemeHttps)
        {
            var path = options.Tls.CertificatePath
                ?? throw new InvalidOperationException("An https:// endpoint needs Dvc:Tls:CertificatePath (a .pfx file).");
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, options.Tls.CertificatePassword);
        }

        kestrel.Limits.Http2.MaxStreamsPerConnection = options.Http2.MaxStreamsPerConnection;
        kestrel.Limits.MaxRequestHeadersTotalSize = options.Http2.MaxRequestHeadersTotalSize;
        // HPACK's header table and a single header field may not exceed the total either.
        kestrel.Limits.Http2.MaxRequestHeaderFieldSize = Math.Min(kestrel.Limits.Http2.MaxRequestHeaderFieldSize, options.Http2.MaxRequestHeadersTotalSize);
        // Idle and silent connections, and dead peers, release their sockets and memory (issue 9: connection abuse).
        kestrel.Limits.KeepAliveTimeout = options.Http2.KeepAliveTimeout;
        kestrel.Limits.RequestHeadersTimeout = options.Http2.RequestHeadersTimeout;
        kestrel.Limits.Http2.KeepAlivePingDelay = options.Http2.KeepAlivePingDelay ?? Timeout.InfiniteTimeSpan;
        kestrel.Limits.Http2.KeepAlivePingTimeout = options.Http2.KeepAlivePingTimeout;
        kestrel.Limits.MaxConcurrentConnections = options.Http2.MaxConnections;
        _grpc = Listen(kestrel, GrpcUri, certificate, HttpProtocols.Http2);
        // HTTP/2 without TLS needs prior knowledge, which browsers never use: plain http is HTTP/1.1 there.
        _web = Listen(kestrel, WebUri, certificate, WebUri.Scheme == Uri.UriSchemeHttps ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1);
    }

    private static ListenOptions Listen(KestrelServerOptions kestrel, Uri uri, X509Certificate2? certificate, HttpProtocols protocols)
    {
        ListenOptions? bound = null;
        var address = uri.Host switch
        {
            "localhost" => IPAddress.Loopback,
            "*" or "+" or "0.0.0.0" => IPAddress.Any,
            "[::]" => IPAddress.IPv6Any,
            var host => IPAddress.Parse(host.Trim('[', ']')),
        };
        kestrel.Listen(address, uri.Port, listen =>
        {
            listen.Protocols = protocols;
            if (uri.Scheme == Uri.UriSchemeHttps)
            {
                listen.UseHttps(certificate!);
            }

            bound = listen;
        });
        return bound!;
    }

    private static Uri Parse(string value, string key)
        => Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new InvalidOperationException($"{key} '{value}' is not an http:// or https:// URL.");

    private static InvalidOperationException NotBound() => new("The server has not been configured yet.");
}
