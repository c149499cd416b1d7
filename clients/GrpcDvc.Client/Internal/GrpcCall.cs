using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using GrpcDvc.Grpc;
using GrpcDvc.Grpc.Wire;

namespace GrpcDvc.Client.Internal;

/// <summary>
/// One call over one HTTP/2 stream, whatever its kind: sends the request (headers, then one
/// message or a pushed stream of them), reads the response headers, messages and trailers,
/// and ends exactly once with a status — the server's, or one synthesized from a deadline, a
/// cancellation or a transport failure. Messages are read and written in GrpcCall.Messages.cs.
/// </summary>
internal sealed partial class GrpcCall<TRequest, TResponse> : ICallState
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private static readonly Status DeadlineExceeded = new(StatusCode.DeadlineExceeded, "Deadline Exceeded");
    private static readonly Status CancelledByCaller = new(StatusCode.Cancelled, "The call was cancelled by the caller.");
    private static readonly Status Disposed = new(StatusCode.Cancelled, "The call was disposed before it finished.");

    private readonly GrpcChannel _channel;
    private readonly Method<TRequest, TResponse> _method;
    private readonly CallOptions _options;
    private readonly CancellationTokenSource _abort = new();
    private readonly CancellationToken _abortToken;
    private readonly Lock _lock = new();
    private readonly string? _requestEncoding;
    private CancellationTokenRegistration _callerCancellation;
    private ITimer? _deadlineTimer;
    private HttpRequestMessage? _request;
    private HttpResponseMessage? _response;
    private Metadata? _responseHeaders;
    private Status? _status;
    private byte[]? _statusDetails;
    private Metadata? _trailers;
    private Task<bool> _started = Task.FromResult(false);

    public GrpcCall(GrpcChannel channel, Method<TRequest, TResponse> method, CallOptions? options)
    {
        _channel = channel;
        _method = method;
        _options = options ?? new CallOptions();
        _abortToken = _abort.Token;
        var encoding = _options.CompressionAlgorithm ?? channel.CompressionAlgorithm;
        if (!Compression.IsSupported(encoding))
        {
            throw new ArgumentException($"Unsupported compression '{encoding}'; use gzip, deflate or identity.", nameof(options));
        }

        _requestEncoding = Compression.IsCompressing(encoding) ? encoding!.ToLowerInvariant() : null;
    }

    /// <summary>The request body of client- and duplex-streaming calls.</summary>
    public PushStreamContent? RequestContent { get; private set; }

    private Status? CurrentStatus
    {
        get
        {
            lock (_lock)
            {
                return _status;
            }
        }
    }

    /// <summary>
    /// Starts the call with its one request, or with a pushed request stream when
    /// <paramref name="request"/> is null. Invalid metadata throws here, before anything is sent.
    /// </summary>
    public void Start(TRequest? request)
    {
        HttpContent content;
        if (request is null)
        {
            content = RequestContent = new PushStreamContent();
        }
        else
        {
            try
            {
                content = new ReadOnlyMemoryContent(Frame(request, compress: true));
            }
            catch (RpcException ex)
            {
                Finish(ex.Status, ex.StatusDetails, null);
                return;
            }
        }

        var now = _channel.TimeProvider.GetUtcNow().UtcDateTime;
        var timeout = Deadline(now) - now;
        _request = CreateRequest(content, timeout);
        if (_options.CancellationToken.IsCancellationRequested)
        {
            Finish(CancelledByCaller, null, null);
            return;
        }

        if (timeout <= TimeSpan.Zero)
        {
            Finish(DeadlineExceeded, null, null);
            return;
        }

        _started = SendAsync(_request);
        if (timeout is { } remaining && remaining < MaxTimer)
        {
            _deadlineTimer = _channel.TimeProvider.CreateTimer(
                static state => ((GrpcCall<TRequest, TResponse>)state!).Abort(DeadlineExceeded), this, remaining, System.Threading.Timeout.InfiniteTimeSpan);
        }

        if (_options.CancellationToken.CanBeCanceled)
        {
            _callerCancellation = _options.CancellationToken.UnsafeRegister(
                static state => ((GrpcCall<TRequest, TResponse>)state!).Abort(CancelledByCaller), this);
        }
    }

    public async Task<Metadata> GetResponseHeadersAsync()
    {
        await _started;
        lock (_lock)
        {
            return _responseHeaders ?? throw new RpcException(_status!.Value, _statusDetails);
        }
    }

    public Status GetStatus() => CurrentStatus
        ?? throw new InvalidOperationException("The call is still in progress; its status is known once it has finished.");

    public Metadata GetTrailers()
    {
        lock (_lock)
        {
            return _status is null
                ? throw new InvalidOperationException("The call is still in progress; its trailers are known once it has finished.")
                : _trailers!;
        }
    }

    public void Dispose()
    {
        Abort(Disposed);
        _response?.Dispose();
        _request?.Dispose();
        _abort.Dispose();
    }

    private static TimeSpan MaxTimer => TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private DateTime? Deadline(DateTime now)
    {
        DateTime? deadline = _options.Deadline is { } d && d != DateTime.MaxValue ? d.ToUniversalTime() : null;
        if (_options.Timeout is { } timeout && (deadline is null || now + timeout < deadline))
        {
            deadline = now + timeout;
        }

        return deadline;
    }

    private HttpRequestMessage CreateRequest(HttpContent content, TimeSpan? timeout)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_channel.Address, _method.FullName))
        {
            // HttpClient's default version applies only to its convenience methods, not to SendAsync.
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        content.Headers.ContentType = new MediaTypeHeaderValue(GrpcProtocol.ContentType);
        var headers = request.Headers;
        headers.TryAddWithoutValidation(GrpcProtocol.TeHeader, "trailers");
        headers.TryAddWithoutValidation("user-agent", GrpcChannel.UserAgent);
        headers.TryAddWithoutValidation(GrpcProtocol.AcceptEncodingHeader, Compression.AcceptEncoding);
        if (_requestEncoding is not null)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.EncodingHeader, _requestEncoding);
        }

        if (timeout is { } t)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcTimeout.Format(t));
        }

        RequestMetadata.Add(headers, _options.Headers);
        return request;
    }

    private async Task<bool> SendAsync(HttpRequestMessage request)
    {
        try
        {
            await AddCredentialsAsync(request);
            var response = await _channel.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _abortToken);
            lock (_lock)
            {
                _response = response;
            }

            return await ReadResponseStartAsync(response);
        }
        catch (Exception ex)
        {
            Abort(ExceptionStatus.From(ex), (ex as RpcException)?.StatusDetails);
            return false;
        }
    }

    private async Task AddCredentialsAsync(HttpRequestMessage request)
    {
        if (_channel.Credentials is null && _options.Credentials is null)
        {
            return;
        }

        var context = new AuthInterceptorContext(
            $"{_channel.Address.GetLeftPart(UriPartial.Authority)}/{_method.ServiceName}", _method.Name, _abortToken);
        var metadata = new Metadata();
        try
        {
            foreach (var credentials in new[] { _channel.Credentials, _options.Credentials })
            {
                if (credentials is not null)
                {
                    await credentials(context, metadata);
                }
            }
        }
        catch (Exception ex) when (ex is not RpcException and not OperationCanceledException)
        {
            throw new RpcException(StatusCode.Unavailable, $"Getting metadata from the call credentials failed: {ex.Message}");
        }

        RequestMetadata.Add(request.Headers, metadata);
    }

    /// <summary>Reads the response headers; false when they already ended the call (trailers-only, HTTP error).</summary>
    private async Task<bool> ReadResponseStartAsync(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.OK)
        {
            Finish(ResponseStatus.FromHttpStatus(response.StatusCode), null, null);
            return false;
        }

        var headers = ResponseStatus.Metadata(response.Headers);
        lock (_lock)
        {
            _responseHeaders = headers;
        }

        if (ResponseStatus.TryRead(response.Headers, out var status, out var details))
        {
            // Trailers-only: the one header block is also the trailers.
            Finish(status, details, headers);
            return false;
        }

        if (!GrpcProtocol.IsGrpcContentType(response.Content.Headers.ContentType?.MediaType))
        {
            Abort(new Status(StatusCode.Internal, $"Bad gRPC response: content-type '{response.Content.Headers.ContentType}'."));
            return false;
        }

        _responseEncoding = response.Headers.NonValidated.TryGetValues(GrpcProtocol.EncodingHeader, out var encoding)
            ? encoding.ToString()
            : null;
        _body = PipeReader.Create(await response.Content.ReadAsStreamAsync(_abortToken));
        return true;
    }

    /// <summary>Ends the call from this side: records the status, then resets the HTTP/2 stream if it is still open.</summary>
    private void Abort(Status status, byte[]? details = null)
    {
        if (!Finish(status, details, null))
        {
            return;
        }

        _abort.Cancel();
        HttpResponseMessage? response;
        lock (_lock)
        {
            response = _response;
        }

        // Disposing an unfinished response makes SocketsHttpHandler send RST_STREAM (CANCEL).
        response?.Dispose();
    }

    /// <summary>Records the final status once; false if the call had already ended.</summary>
    private bool Finish(Status status, byte[]? details, Metadata? trailers)
    {
        lock (_lock)
        {
            if (_status is not null)
            {
                return false;
            }

            _status = status;
            _statusDetails = details;
            _trailers = trailers ?? [];
        }

        _deadlineTimer?.Dispose();
        _callerCancellation.Unregister();
        RequestContent?.Complete();
        return true;
    }

    private RpcException StatusException()
    {
        lock (_lock)
        {
            return new RpcException(_status!.Value, _statusDetails);
        }
    }
}
