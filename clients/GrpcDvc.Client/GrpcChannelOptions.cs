using System.Net.Security;
using GrpcDvc.Grpc.Wire;

namespace GrpcDvc.Client;

/// <summary>How a <see cref="GrpcChannel"/> behaves. Read once, when the channel is created.</summary>
public sealed class GrpcChannelOptions
{
    /// <summary>
    /// The largest response message accepted, after decompression; a larger one ends the call
    /// with RESOURCE_EXHAUSTED. Default 4 MiB (gRPC's default); null for no limit.
    /// </summary>
    public int? MaxReceiveMessageSize { get; set; } = GrpcProtocol.DefaultMaxReceiveMessageSize;

    /// <summary>The largest request message sent, before compression; a larger one fails with RESOURCE_EXHAUSTED. Default: no limit.</summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>Compression of request messages for calls that choose none ("gzip", "deflate"). Default: none.</summary>
    public string? CompressionAlgorithm { get; set; }

    /// <summary>Adds metadata to every call before it is sent (bearer tokens). Default: none.</summary>
    public AsyncAuthInterceptor? Credentials { get; set; }

    /// <summary>
    /// The HTTP handler to send with, instead of the channel's own SocketsHttpHandler (e.g. one
    /// that logs, or carries a client certificate). It must speak HTTP/2.
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>Whether disposing the channel disposes <see cref="HttpHandler"/>. Default true.</summary>
    public bool DisposeHttpHandler { get; set; } = true;

    /// <summary>
    /// Checks the server's certificate on https:// (e.g. to trust a test certificate). Default:
    /// the platform's validation. Ignored when <see cref="HttpHandler"/> is set.
    /// </summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; set; }

    /// <summary>The clock deadlines are measured on. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
