using Google.Protobuf.Reflection;
using GrpcDvc.Grpc.Internal;
using GrpcDvc.Grpc.Wire;
using Microsoft.AspNetCore.Http;

namespace GrpcDvc.Grpc;

/// <summary>What a handler (and every interceptor) knows about its call besides the messages.</summary>
public sealed class ServerCallContext
{
    private readonly CallState _state;
    private Metadata? _requestHeaders;
    private Metadata? _responseTrailers;

    /// <param name="requestHeaders">The request's metadata when already parsed; null parses it on first read.</param>
    internal ServerCallContext(HttpContext httpContext, MethodDescriptor method, string fullName, CallState state, Metadata? requestHeaders, DateTime deadline)
    {
        HttpContext = httpContext;
        MethodDescriptor = method;
        Method = fullName; // "/package.Service/Method", built once per bound rpc rather than per call
        _state = state;
        _requestHeaders = requestHeaders;
        Deadline = deadline;
    }

    /// <summary>Full method name, "/package.Service/Method".</summary>
    public string Method { get; }

    /// <summary>The rpc's descriptor: its service, its types and its custom options (e.g. authorization policy).</summary>
    public MethodDescriptor MethodDescriptor { get; }

    /// <summary>Fires when the client cancels, the connection drops, or the deadline passes.</summary>
    public CancellationToken CancellationToken => _state.CancellationToken;

    /// <summary>The client's deadline in UTC; <see cref="DateTime.MaxValue"/> when it set none.</summary>
    public DateTime Deadline { get; }

    public string Peer => HttpContext.Connection.RemoteIpAddress is { } ip
        ? $"{(ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "ipv6" : "ipv4")}:{ip}:{HttpContext.Connection.RemotePort}"
        : "unknown";

    /// <summary>Custom metadata the client sent (reserved and HTTP/2 headers excluded).</summary>
    /// <remarks>
    /// Parsed from the request headers on first read: most handlers never look, and parsing
    /// allocates an entry per header. Binary entries were already checked before the call began.
    /// </remarks>
    public Metadata RequestHeaders => _requestHeaders ?? Publish(ref _requestHeaders, RequestMetadata.From(HttpContext.Request.Headers));

    /// <summary>Metadata sent with the status at the end of the call.</summary>
    public Metadata ResponseTrailers => _responseTrailers ?? Publish(ref _responseTrailers, []);

    /// <summary>The trailers a handler added, without creating the collection when it added none.</summary>
    internal Metadata? ResponseTrailersIfAny => _responseTrailers;

    /// <summary>The status to end with when the handler returns normally (default OK).</summary>
    public Status Status { get; set; } = Status.Ok;

    /// <summary>Write options applied to responses when a stream writer sets none.</summary>
    public WriteOptions? WriteOptions { get; set; }

    /// <summary>The grpc-encoding of the request messages, or null for identity.</summary>
    public string? RequestCompressionAlgorithm => _state.RequestEncoding;

    /// <summary>
    /// Compress responses with this algorithm ("gzip", "deflate"), if the client accepts it.
    /// Must be set before the first response message or header is written.
    /// </summary>
    public string? ResponseCompressionAlgorithm
    {
        get => _state.ResponseEncoding;
        set => _state.RequestResponseEncoding(value);
    }

    /// <summary>Per-call values set by interceptors (e.g. the authenticated caller).</summary>
    public IDictionary<object, object?> Items => HttpContext.Items;

    /// <summary>The underlying HTTP exchange, for what the abstractions above do not cover.</summary>
    public HttpContext HttpContext { get; }

    /// <summary>Services resolved for this call's scope.</summary>
    public IServiceProvider Services => HttpContext.RequestServices;

    // A handler and an interceptor may read these from two threads: the first one stored wins.
    private static Metadata Publish(ref Metadata? field, Metadata created)
        => Interlocked.CompareExchange(ref field, created, null) ?? created;

    /// <summary>Sends response headers now, with these custom entries. At most once, before any message.</summary>
    public Task WriteResponseHeadersAsync(Metadata responseHeaders) => _state.WriteHeadersAsync(responseHeaders);
}
