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
    private readonly CancellationTokenSource _cancellation;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private IReadOnlySet<string>? _clientAccepts;
    private bool _completed;

    public CallState(HttpContext http, GrpcServerOptions options, string? requestEncoding)
    {
        _http = http;
        _options = options;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        RequestEncoding = Compression.IsCompressing(requestEncoding) ? requestEncoding!.ToLowerInvariant() : null;
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

        ResponseEncoding = Compression.IsCompressing(encoding) && Compression.IsSupported(encoding) && ClientAccepts.Contains(encoding!.ToLowerInvariant())
            ? encoding.ToLowerInvariant()
            : null;
    }

    // Parsed only when the server wants to compress: most calls never need it.
    private IReadOnlySet<string> ClientAccepts
        => _clientAccepts ??= Compression.ParseAccepted(_http.Request.Headers[GrpcProtocol.AcceptEncodingHeader]);

    public void Cancel() => _cancellation.Cancel();

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
