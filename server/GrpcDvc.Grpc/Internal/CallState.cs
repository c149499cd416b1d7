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
    private readonly CancellationTokenSource _cancellation;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly IReadOnlySet<string> _clientAccepts;
    private bool _completed;

    public CallState(HttpContext http, GrpcServerOptions options, string? requestEncoding)
    {
        _http = http;
        _options = options;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        RequestEncoding = Compression.IsCompressing(requestEncoding) ? requestEncoding!.ToLowerInvariant() : null;
        _clientAccepts = Compression.ParseAccepted(http.Request.Headers[GrpcProtocol.AcceptEncodingHeader]);
        RequestResponseEncoding(options.ResponseCompressionAlgorithm);
    }

    public CancellationToken CancellationToken => _cancellation.Token;

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

        ResponseEncoding = Compression.IsCompressing(encoding) && Compression.IsSupported(encoding) && _clientAccepts.Contains(encoding!.ToLowerInvariant())
            ? encoding.ToLowerInvariant()
            : null;
    }

    public void Cancel() => _cancellation.Cancel();

    public async Task<T> ReadMessageAsync<T>(MessageParser parser, CancellationToken cancellationToken)
        where T : class
        => await TryReadMessageAsync<T>(parser, cancellationToken)
            ?? throw new RpcException(StatusCode.Internal, "Request ended without a message where one was required.");

    public async Task<T?> TryReadMessageAsync<T>(MessageParser parser, CancellationToken cancellationToken)
        where T : class
    {
        var received = await MessageFraming.ReadMessageAsync(_http.Request.BodyReader, _options.MaxReceiveMessageSize, cancellationToken);
        if (received is null)
        {
            return null;
        }

        var payload = received.Payload;
        if (received.Compressed)
        {
            if (RequestEncoding is null)
            {
                throw new RpcException(StatusCode.Internal,
                    "Request sent a compressed message but grpc-encoding was not set or is identity.");
            }

            payload = Compression.Decompress(RequestEncoding, payload, _options.MaxReceiveMessageSize);
        }

        try
        {
            return (T)parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new RpcException(StatusCode.Internal, $"Error parsing request message: {ex.Message}");
        }
    }

    public async Task WriteHeadersAsync(Metadata? custom)
    {
        await _writeLock.WaitAsync(CancellationToken);
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
            _writeLock.Release();
        }
    }

    public async Task WriteMessageAsync(IMessage message, WriteOptions? options, CancellationToken cancellationToken)
    {
        if (!await _writeLock.WaitAsync(0, cancellationToken))
        {
            throw new InvalidOperationException("Only one write can be pending at a time.");
        }

        try
        {
            ThrowIfCompleted();
            cancellationToken.ThrowIfCancellationRequested();
            var data = message.ToByteArray();
            if (_options.MaxSendMessageSize is { } max && data.Length > max)
            {
                throw new RpcException(StatusCode.ResourceExhausted,
                    $"Sending message exceeds the maximum configured message size ({data.Length} > {max}).");
            }

            if (!HeadersWritten)
            {
                await StartResponseAsync(null);
            }

            var compress = ResponseEncoding is not null && options?.NoCompress != true;
            var payload = compress ? Compression.Compress(ResponseEncoding!, data) : data;
            MessageFraming.WritePayload(_http.Response.BodyWriter, payload, compress);
            await _http.Response.BodyWriter.FlushAsync(cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Ends the call: after this no write reaches the response. Returns false if it had already ended.</summary>
    public async Task<bool> CompleteAsync(Status status, byte[]? details, Metadata trailers)
    {
        // Waits for a write in progress (it must not interleave with the trailers), but not for a stuck handler.
        await _writeLock.WaitAsync();
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
            _writeLock.Release();
        }
    }

    public void Dispose()
    {
        _cancellation.Dispose();
        _writeLock.Dispose();
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
