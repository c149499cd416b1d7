using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace GrpcDvc.Tests.Access;

/// <summary>
/// A call as an interceptor sees it, built by hand: its path and, when routing left one, the
/// HttpContext with its endpoint (grpc-dotnet's own contexts cannot be made outside a request).
/// </summary>
internal sealed class TestCallContext : ServerCallContext
{
    private readonly string _method;

    /// <summary>Only the path: no HttpContext to find a descriptor through.</summary>
    public TestCallContext(string method) => _method = method;

    /// <summary>The path and the HttpContext routing left, with <paramref name="endpoint"/> (none if null).</summary>
    public TestCallContext(string method, Endpoint? endpoint)
        : this(method)
    {
        Http = new DefaultHttpContext();
        Http.SetEndpoint(endpoint);
        // Where grpc-dotnet's GetHttpContext() looks when the context is not its own.
        UserState["__HttpContext"] = Http;
    }

    /// <summary>The HttpContext grpc-dotnet's GetHttpContext() finds; null when the context has none.</summary>
    public HttpContext? Http { get; }

    /// <summary>A call on <paramref name="method"/> from a client at <paramref name="address"/> with <paramref name="userAgent"/>.</summary>
    public static TestCallContext FromClient(string method, IPAddress? address, string userAgent)
    {
        var context = new TestCallContext(method, endpoint: null);
        context.Http!.Connection.RemoteIpAddress = address;
        context.Http.Request.Headers.UserAgent = userAgent;
        return context;
    }

    protected override string MethodCore => _method;

    protected override string HostCore => "localhost";

    protected override string PeerCore => "ipv4:127.0.0.1:1";

    protected override DateTime DeadlineCore => DateTime.MaxValue;

    protected override Metadata RequestHeadersCore => [];

    protected override CancellationToken CancellationTokenCore => CancellationToken.None;

    protected override Metadata ResponseTrailersCore => [];

    protected override Status StatusCore { get; set; }

    protected override WriteOptions? WriteOptionsCore { get; set; }

    protected override AuthContext AuthContextCore => throw new NotSupportedException();

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
}
