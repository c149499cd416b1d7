using System.Buffers;
using System.IO.Pipelines;
using Google.Protobuf;
using GrpcDvc.Grpc.Wire;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace GrpcDvc.Grpc.Internal;

/// <summary>
/// The mutable state of one call shared by its context, reader and writer: cancellation,
/// negotiated compression, whether headers went out, and whether the call is finished (after
/// which no write may touch the response, even from a handler still running past its deadline).
/// </summary>
internal sealed class CallState : IDisposable
{
    private readonly HttpContext _http;
    private readonly GrpcServerOptions _options;
    private readonly CancellationTokenSource? _deadlineCancellation;
    private readonly CancellationToken _cancellationToken;
    private IReadOnlySet<string>? _clientAccepts;
    private bool _completed;

    // One write at a time (a message, the headers, or the trailers): the turn is taken with one
    // interlocked exchange, with no lock object or semaphore per call. A waiter is made only when
    // a second party must wait for a write in progress (the status after a deadline).
    private const int Free = 0;
    private const int Writing = 1;
    private const int WritingWithWaiter = 2;
    private int _turn;
    private TaskCompletionSource? _writeEnded;
    private bool _started;
    private PipeWriter? _bodyWriter;

    /// <param name="hasDeadline">
    /// Whether the call can be cancelled by its deadline. Without one, the call's token is the
    /// request's own abort token, and no linked token source is needed.
    /// </param>
    public CallState(HttpContext http, GrpcServerOptions options, string? requestEncoding, bool hasDeadline)
    {
        _http = http;
        _options = options;
        if (hasDeadline)
        {
            _deadlineCancellation = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
            _cancellationToken = _deadlineCancellation.Token;
        }
        else
        {
            _cancellationToken = http.RequestAborted;
        }

        RequestEncoding = Compression.IsCompressing(requestEncoding) ? requestEncoding!.ToLowerInvariant() : null;
        if (options.ResponseCompressionAlgorithm is not null)
        {
            RequestResponseEncoding(options.ResponseCompressionAlgorithm);
        }
    }

    public CancellationToken CancellationToken => _cancellationToken;

    public string? RequestEncoding { get; }

    /// <summary>The response encoding in effect: asked for by the server and accepted by the client.</summary>
    public string? ResponseEncoding { get; private set; }

    // Once started, a response stays started: remember it rather than ask the server per message.
    public bool HeadersWritten => _started || (_started = _http.Response.HasStarted);

    // The response body's writer, looked up once per call rather than per message.
    private PipeWriter BodyWriter => _bodyWriter ??= _http.Response.BodyWriter;

    public void RequestResponseEncoding(string? encoding)
    {
        if (HeadersWritten)
        {
            throw new InvalidOperationException("Response compression must be chosen before the response headers are sent.");
        }

        ResponseEncoding = Compression.IsCompressing(encoding) && Compression.IsSupported(encoding) && ClientAccepts.Contains(encoding!.ToLowerInvariant())
            ? encoding.ToLowerInvariant()
            : null;
    }

    // Parsed only when the server wants to compress: most calls never need it.
    private IReadOnlySet<string> ClientAccepts
        => _clientAccepts ??= Compression.ParseAccepted(_http.Request.Headers[GrpcProtocol.AcceptEncodingHeader]);

    /// <summary>Cancels the call's token when its deadline passes (only calls with a deadline have one to cancel).</summary>
    public void Cancel()
        => (_deadlineCancellation ?? throw new InvalidOperationException("Only a call with a deadline is cancelled by the server.")).Cancel();

    /// <summary>
    /// The one request message of a call that takes one, or null when the request has none
    /// (see <see cref="NoMessage"/>); INTERNAL when more data follows it.
    /// </summary>
    public ValueTask<T?> ReadSingleMessageAsync<T>(MessageParser parser, string trailingDataError)
        where T : class
        => MessageFraming.ReadMessageAsync(_http.Request.BodyReader, _options.MaxReceiveMessageSize, (State: this, Parser: parser),
            static (read, payload, compressed) => read.State.Parse<T>(read.Parser, payload, compressed), CancellationToken, trailingDataError);

    /// <summary>The error for a request that ended without the message its call requires.</summary>
    public static RpcException NoMessage() => new(StatusCode.Internal, "Request ended without a message where one was required.");

    /// <summary>The next request message, parsed straight from the request's buffers; null at the end of the stream.</summary>
    public ValueTask<T?> TryReadMessageAsync<T>(MessageParser parser, CancellationToken cancellationToken)
        where T : class
        => MessageFraming.ReadMessageAsync(_http.Request.BodyReader, _options.MaxReceiveMessageSize, (State: this, Parser: parser),
            static (read, payload, compressed) => read.State.Parse<T>(read.Parser, payload, compressed), cancellationToken);

    private T Parse<T>(MessageParser parser, ReadOnlySequence<byte> payload, bool compressed)
        where T : class
    {
        if (compressed && RequestEncoding is null)
        {
            throw new RpcException(StatusCode.Internal,
                "Request sent a compressed message but grpc-encoding was not set or is identity.");
        }

        try
        {
            return (T)(compressed
                ? parser.ParseFrom(Compression.Decompress(RequestEncoding!, payload.ToArray(), _options.MaxReceiveMessageSize))
                : parser.ParseFrom(payload));
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new RpcException(StatusCode.Internal, $"Error parsing request message: {ex.Message}");
        }
    }

    public async Task WriteHeadersAsync(Metadata? custom)
    {
        await BeginWriteAsync(CancellationToken);
        try
        {
            ThrowIfCompleted();
            if (HeadersWritten)
            {
                throw new InvalidOperationException("Response headers can only be sent once per call.");
            }

            await StartResponseAsync(custom);
            // StartAsync only queues the HEADERS frame; an explicit header write must reach the
            // client now (it may be waiting for them before it sends or cancels anything).
            await BodyWriter.FlushAsync(CancellationToken);
        }
        finally
        {
            EndWrite();
        }
    }

    /// <summary>
    /// Writes and flushes one response message (starting the response first if needed). Not an
    /// async method: a stream writes many messages, and most writes finish at once, so those run
    /// without a state machine; failures still come back in the returned task, as from an async method.
    /// </summary>
    public Task WriteMessageAsync(IMessage message, WriteOptions? options, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        if (!TryBeginWrite())
        {
            return Task.FromException(new InvalidOperationException("Only one write can be pending at a time."));
        }

        // From here the write turn is ours: each way out gives it back, or hands it to the task returned.
        try
        {
            ThrowIfCompleted();
            var size = message.CalculateSize();
            if (_options.MaxSendMessageSize is { } max && size > max)
            {
                throw new RpcException(StatusCode.ResourceExhausted,
                    $"Sending message exceeds the maximum configured message size ({size} > {max}).");
            }

            if (!HeadersWritten)
            {
                var starting = StartResponseAsync(null);
                if (!starting.IsCompletedSuccessfully)
                {
                    return StartThenWriteAsync(starting, message, options, size, cancellationToken);
                }
            }

            var flush = WriteAndFlush(message, options, size, cancellationToken);
            if (!flush.IsCompletedSuccessfully)
            {
                return EndWriteAfterAsync(flush);
            }

            flush.GetAwaiter().GetResult(); // a value task is consumed once, even when it finished at once
        }
        catch (OperationCanceledException ex)
        {
            EndWrite();
            return Task.FromCanceled(ex.CancellationToken.IsCancellationRequested ? ex.CancellationToken : new CancellationToken(canceled: true));
        }
#pragma warning disable CA1031 // Not swallowed: the exception becomes the returned task's, as an async method's would.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            EndWrite();
            return Task.FromException(ex);
        }

        EndWrite();
        return Task.CompletedTask;
    }

    /// <summary>Ends the call: after this no write reaches the response. Returns false if it had already ended.</summary>
    public ValueTask<bool> CompleteAsync(Status status, byte[]? details, Metadata? trailers)
    {
        // The usual case, nothing being written: end the call synchronously.
        return TryBeginWrite() ? new ValueTask<bool>(Complete(status, details, trailers)) : WaitAndCompleteAsync(status, details, trailers);
    }

    public void Dispose() => _deadlineCancellation?.Dispose();

    // Waits for a write in progress (it must not interleave with the trailers), but not for a stuck handler.
    private async ValueTask<bool> WaitAndCompleteAsync(Status status, byte[]? details, Metadata? trailers)
    {
        await BeginWriteAsync(CancellationToken.None);
        return Complete(status, details, trailers);
    }

    // Called holding the write turn; gives it back.
    private bool Complete(Status status, byte[]? details, Metadata? trailers)
    {
        try
        {
            if (_completed)
            {
                return false;
            }

            _completed = true;
            StatusWriter.Write(_http.Response, status, details, trailers);
            return true;
        }
        finally
        {
            EndWrite();
        }
    }

    // Uncompressed messages are serialized straight into the response buffers, without a copy.
    private ValueTask<FlushResult> WriteAndFlush(IMessage message, WriteOptions? options, int size, CancellationToken cancellationToken)
    {
        var writer = BodyWriter;
        if (ResponseEncoding is not null && options?.NoCompress != true)
        {
            MessageFraming.WritePayload(writer, Compression.Compress(ResponseEncoding, message.ToByteArray()), compressed: true);
        }
        else
        {
            MessageFraming.WriteMessage(writer, message, size);
        }

        return writer.FlushAsync(cancellationToken);
    }

    private async Task StartThenWriteAsync(Task starting, IMessage message, WriteOptions? options, int size, CancellationToken cancellationToken)
    {
        try
        {
            await starting;
            await WriteAndFlush(message, options, size, cancellationToken);
        }
        finally
        {
            EndWrite();
        }
    }

    private async Task EndWriteAfterAsync(ValueTask<FlushResult> flush)
    {
        try
        {
            await flush;
        }
        finally
        {
            EndWrite();
        }
    }

    private bool TryBeginWrite() => Interlocked.CompareExchange(ref _turn, Writing, Free) == Free;

    private async ValueTask BeginWriteAsync(CancellationToken cancellationToken)
    {
        while (!TryBeginWrite())
        {
            Task writeEnded;
            lock (this)
            {
                _writeEnded ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                writeEnded = _writeEnded.Task;
                // Tell the writer someone waits; if it finished meanwhile, try again.
                var seen = Interlocked.CompareExchange(ref _turn, WritingWithWaiter, Writing);
                if (seen == Free)
                {
                    continue;
                }
            }

            await writeEnded.WaitAsync(cancellationToken);
        }
    }

    private void EndWrite()
    {
        if (Interlocked.Exchange(ref _turn, Free) != WritingWithWaiter)
        {
            return;
        }

        TaskCompletionSource? waiting;
        lock (this)
        {
            waiting = _writeEnded;
            _writeEnded = null;
        }

        waiting?.SetResult();
    }

    private Task StartResponseAsync(Metadata? custom)
    {
        var headers = _http.Response.Headers;
        headers[GrpcProtocol.AcceptEncodingHeader] = Compression.AcceptEncoding;
        if (ResponseEncoding is not null)
        {
            headers[GrpcProtocol.EncodingHeader] = ResponseEncoding;
        }

        if (custom is not null)
        {
            foreach (var entry in custom)
            {
                if (MetadataHeaders.IsProtected(entry.Key))
                {
                    throw new InvalidOperationException($"'{entry.Key}' is reserved for the gRPC protocol.");
                }

                headers.Append(entry.Key, new StringValues(entry.IsBinary ? MetadataBase64.Encode(entry.ValueBytes!) : entry.Value));
            }
        }

        return _http.Response.StartAsync(CancellationToken);
    }

    private void ThrowIfCompleted()
    {
        if (_completed)
        {
            throw new InvalidOperationException("The call has already ended (deadline passed or status sent).");
        }
    }
}
