using System.Buffers;
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

    // One write at a time (a message, the headers, or the trailers), guarded by locking this
    // internal object: no lock object or semaphore per call. A waiter is created only when a
    // second party has to wait for a write in progress (the status after a deadline).
    private bool _writing;
    private TaskCompletionSource? _writeEnded;

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

    public bool HeadersWritten => _http.Response.HasStarted;

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

    public async ValueTask<T> ReadMessageAsync<T>(MessageParser parser, CancellationToken cancellationToken)
        where T : class
        => await TryReadMessageAsync<T>(parser, cancellationToken)
            ?? throw new RpcException(StatusCode.Internal, "Request ended without a message where one was required.");

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
            await _http.Response.BodyWriter.FlushAsync(CancellationToken);
        }
        finally
        {
            EndWrite();
        }
    }

    public async Task WriteMessageAsync(IMessage message, WriteOptions? options, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!TryBeginWrite())
        {
            throw new InvalidOperationException("Only one write can be pending at a time.");
        }

        try
        {
            ThrowIfCompleted();
            cancellationToken.ThrowIfCancellationRequested();
            var size = message.CalculateSize();
            if (_options.MaxSendMessageSize is { } max && size > max)
            {
                throw new RpcException(StatusCode.ResourceExhausted,
                    $"Sending message exceeds the maximum configured message size ({size} > {max}).");
            }

            if (!HeadersWritten)
            {
                await StartResponseAsync(null);
            }

            // Uncompressed messages are serialized straight into the response buffers, without a copy.
            var writer = _http.Response.BodyWriter;
            if (ResponseEncoding is not null && options?.NoCompress != true)
            {
                MessageFraming.WritePayload(writer, Compression.Compress(ResponseEncoding, message.ToByteArray()), compressed: true);
            }
            else
            {
                MessageFraming.WriteMessage(writer, message, size);
            }

            await writer.FlushAsync(cancellationToken);
        }
        finally
        {
            EndWrite();
        }
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

    private bool TryBeginWrite()
    {
        lock (this)
        {
            if (_writing)
            {
                return false;
            }

            _writing = true;
            return true;
        }
    }

    private async ValueTask BeginWriteAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task writeEnded;
            lock (this)
            {
                if (!_writing)
                {
                    _writing = true;
                    return;
                }

                _writeEnded ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                writeEnded = _writeEnded.Task;
            }

            await writeEnded.WaitAsync(cancellationToken);
        }
    }

    private void EndWrite()
    {
        TaskCompletionSource? waiting;
        lock (this)
        {
            _writing = false;
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
