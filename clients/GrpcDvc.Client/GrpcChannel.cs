using System.Net;
using Google.Protobuf;
using GrpcDvc.Client.Internal;
using GrpcDvc.Grpc.Wire;

namespace GrpcDvc.Client;

/// <summary>
/// A connection to a gRPC server over HTTP/2: h2c with prior knowledge for http://,
/// ALPN-negotiated HTTP/2 over TLS for https://. Thread-safe; create one per server and share
/// it (generated clients such as CatalogServiceClient wrap it). Disposing it ends its connections.
/// </summary>
public sealed class GrpcChannel : IDisposable
{
    internal const string UserAgent = "grpc-dotnet-dvc/1.0";

    public GrpcChannel(Uri address, GrpcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"'{address}' is not an http:// or https:// address.", nameof(address));
        }

        options ??= new GrpcChannelOptions();
        if (!Compression.IsSupported(options.CompressionAlgorithm))
        {
            throw new ArgumentException($"Unsupported compression '{options.CompressionAlgorithm}'.", nameof(options));
        }

        Address = address;
        MaxReceiveMessageSize = options.MaxReceiveMessageSize;
        MaxSendMessageSize = options.MaxSendMessageSize;
        CompressionAlgorithm = options.CompressionAlgorithm;
        Credentials = options.Credentials;
        TimeProvider = options.TimeProvider;
        var handler = options.HttpHandler ?? CreateHandler(options);
        HttpClient = new HttpClient(handler, disposeHandler: options.HttpHandler is null || options.DisposeHttpHandler)
        {
            // Deadlines bound calls; HttpClient's own 100-second timeout would cut long streams.
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
    }

    public Uri Address { get; }

    internal int? MaxReceiveMessageSize { get; }

    internal int? MaxSendMessageSize { get; }

    internal string? CompressionAlgorithm { get; }

    internal AsyncAuthInterceptor? Credentials { get; }

    internal TimeProvider TimeProvider { get; }

    internal HttpClient HttpClient { get; }

    public static GrpcChannel ForAddress(string address, GrpcChannelOptions? options = null)
        => new(new Uri(address, UriKind.Absolute), options);

    /// <summary>Starts a unary call; await it (or its ResponseAsync) for the response.</summary>
    public AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        Method<TRequest, TResponse> method, TRequest request, CallOptions? options = null)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = Start(method, MethodType.Unary, options, request);
        return new AsyncUnaryCall<TResponse>(call, Observed(call.ReadSingleResponseAsync()));
    }

    /// <summary>Calls a unary rpc and returns its response; a non-OK status is thrown as <see cref="RpcException"/>.</summary>
    public Task<TResponse> UnaryAsync<TRequest, TResponse>(
        Method<TRequest, TResponse> method, TRequest request, CallOptions? options = null)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
        => AsyncUnaryCall(method, request, options).ResponseAsync;

    public AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
        Method<TRequest, TResponse> method, TRequest request, CallOptions? options = null)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = Start(method, MethodType.ServerStreaming, options, request);
        return new AsyncServerStreamingCall<TResponse>(call, new ResponseStreamReader<TRequest, TResponse>(call));
    }

    public AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(
        Method<TRequest, TResponse> method, CallOptions? options = null)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        var call = Start(method, MethodType.ClientStreaming, options, request: null);
        return new AsyncClientStreamingCall<TRequest, TResponse>(
            call, new RequestStreamWriter<TRequest, TResponse>(call), Observed(call.ReadSingleResponseAsync()));
    }

    public AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
        Method<TRequest, TResponse> method, CallOptions? options = null)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        var call = Start(method, MethodType.DuplexStreaming, options, request: null);
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(
            call, new RequestStreamWriter<TRequest, TResponse>(call), new ResponseStreamReader<TRequest, TResponse>(call));
    }

    public void Dispose() => HttpClient.Dispose();

    private static SocketsHttpHandler CreateHandler(GrpcChannelOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            // Several HTTP/2 connections once one reaches the server's concurrent-stream limit.
            EnableMultipleHttp2Connections = true,
            // gRPC compresses messages itself (grpc-encoding); HTTP content-encoding is not used.
            AutomaticDecompression = DecompressionMethods.None,
            AllowAutoRedirect = false,
            UseCookies = false,
        };
        if (options.ServerCertificateValidation is { } validate)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = validate;
        }

        return handler;
    }

    /// <summary>Marks a response task's failure as observed, for callers that only look at headers or status.</summary>
    private static Task<T> Observed<T>(Task<T> task)
    {
        task.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return task;
    }

    private GrpcCall<TRequest, TResponse> Start<TRequest, TResponse>(
        Method<TRequest, TResponse> method, MethodType expected, CallOptions? options, TRequest? request)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(method);
        if (method.Type != expected)
        {
            throw new ArgumentException($"{method.FullName} is a {method.Type} method, not {expected}.", nameof(method));
        }

        var call = new GrpcCall<TRequest, TResponse>(this, method, options);
        call.Start(request);
        return call;
    }
}
