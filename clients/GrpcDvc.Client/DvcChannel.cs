using System.Net.Security;
using Grpc.Net.Client;
using Grpc.Net.Compression;

namespace GrpcDvc.Client;

/// <summary>
/// Channels to a GrpcDvc server. <c>http://</c> speaks HTTP/2 without TLS by prior knowledge (h2c, the
/// server's gRPC endpoint in development and behind a TLS-terminating balancer); <c>https://</c> speaks
/// HTTP/2 over TLS.
/// </summary>
public static class DvcChannel
{
    /// <summary>A channel to <paramref name="address"/>; dispose it when done (it owns its connections).</summary>
    public static GrpcChannel Create(Uri address, DvcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        options ??= new DvcChannelOptions();
        return GrpcChannel.ForAddress(address, Configure(address, options));
    }

    /// <summary>The Grpc.Net.Client options a channel to <paramref name="address"/> uses (also for the client factory).</summary>
    public static GrpcChannelOptions Configure(Uri address, DvcChannelOptions options)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(options);
        if (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"'{address}' is not an http:// or https:// address.", nameof(address));
        }

        var channel = new GrpcChannelOptions
        {
            HttpHandler = CreateHandler(options),
            DisposeHttpClient = true,
            MaxReceiveMessageSize = options.MaxReceiveMessageSize,
            MaxSendMessageSize = options.MaxSendMessageSize,
            CompressionProviders = [new GzipCompressionProvider(System.IO.Compression.CompressionLevel.Fastest)],
            // Plain h2c carries no TLS, so Grpc.Net.Client refuses to attach tokens unless told the link is
            // trusted (loopback in development, a private network behind a TLS-terminating balancer).
            UnsafeUseInsecureChannelCallCredentials = address.Scheme == Uri.UriSchemeHttp && options.AllowTokensWithoutTls,
        };
        if (options.Credentials is { } credentials)
        {
            channel.Credentials = address.Scheme == Uri.UriSchemeHttps
                ? Grpc.Core.ChannelCredentials.Create(Grpc.Core.ChannelCredentials.SecureSsl, credentials)
                : Grpc.Core.ChannelCredentials.Create(Grpc.Core.ChannelCredentials.Insecure, credentials);
        }

        return channel;
    }

    /// <summary>
    /// SocketsHttpHandler as grpc-dotnet recommends: several HTTP/2 connections when one fills its
    /// stream limit, keep-alive pings so a balancer does not drop idle connections.
    /// </summary>
    internal static SocketsHttpHandler CreateHandler(DvcChannelOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            KeepAlivePingDelay = options.KeepAlivePingDelay,
            KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            ConnectTimeout = options.ConnectTimeout,
        };
        if (options.ServerCertificateValidation is { } validate)
        {
            handler.SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = validate };
        }

        return handler;
    }
}
