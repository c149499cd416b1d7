using System.Buffers;
using System.IO.Pipelines;
using Google.Protobuf;
using GrpcDvc.Grpc;
using GrpcDvc.Grpc.Wire;

namespace GrpcDvc.Client.Internal;

/// <summary>The message side of a call: framing and compressing requests, reading and decoding responses.</summary>
internal sealed partial class GrpcCall<TRequest, TResponse>
{
    private PipeReader? _body;
    private string? _responseEncoding;
    private int _messagesRead;
    private int _writing;
    private bool _requestCompleted;

    /// <summary>The next response message; null once the call ended with OK. A non-OK end is thrown as <see cref="RpcException"/>.</summary>
    public async Task<TResponse?> ReadMessageAsync(CancellationToken cancellationToken)
    {
        // Cancelling one read cancels the whole call, as in the other gRPC clients; that includes
        // the wait for the response headers.
        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static state => ((GrpcCall<TRequest, TResponse>)state!).Abort(CancelledByCaller), this)
            : default;
        if (!await _started || CurrentStatus is not null)
        {
            return EndOfResponses();
        }

        try
        {
            var received = await MessageFraming.ReadMessageAsync(_body!, _channel.MaxReceiveMessageSize ?? int.MaxValue, _abortToken);
            if (received is null)
            {
                ReadTrailers();
                return EndOfResponses();
            }

            var message = _method.ResponseParser.ParseFrom(Decode(received));
            _messagesRead++;
            return message;
        }
        catch (Exception ex)
        {
            Abort(ExceptionStatus.From(ex), (ex as RpcException)?.StatusDetails);
            throw StatusException();
        }
    }

    /// <summary>The one response of a unary or client-streaming call.</summary>
    public async Task<TResponse> ReadSingleResponseAsync()
    {
        var response = await ReadMessageAsync(CancellationToken.None)
            ?? throw new RpcException(StatusCode.Internal, "The call ended with OK but without a response message.");
        if (await ReadMessageAsync(CancellationToken.None) is not null)
        {
            Abort(new Status(StatusCode.Internal, "The server sent more than one response message to a call that takes one."));
            throw StatusException();
        }

        return response;
    }

    public async Task WriteAsync(TRequest message, WriteOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Interlocked.Exchange(ref _writing, 1) == 1)
        {
            throw new InvalidOperationException("A write is already in progress: await each WriteAsync before the next.");
        }

        try
        {
            ThrowIfCannotWrite();
            ReadOnlyMemory<byte> frame;
            try
            {
                frame = Frame(message, compress: options?.NoCompress != true);
            }
            catch (RpcException ex)
            {
                Abort(ex.Status);
                throw;
            }

            using var registration = cancellationToken.CanBeCanceled
                ? cancellationToken.UnsafeRegister(static state => ((GrpcCall<TRequest, TResponse>)state!).Abort(CancelledByCaller), this)
                : default;
            try
            {
                var stream = await RequestContent!.GetStreamAsync(_abortToken);
                await stream.WriteAsync(frame, _abortToken);
                await stream.FlushAsync(_abortToken);
            }
            catch (Exception ex) when (ex is not RpcException)
            {
                // The server ended the call, the caller cancelled it, or the connection failed; a
                // transport failure is left for the response side to report with the real status.
                ThrowIfCannotWrite();
                throw new RpcException(ExceptionStatus.From(ex));
            }
        }
        finally
        {
            Volatile.Write(ref _writing, 0);
        }
    }

    public Task CompleteRequestAsync()
    {
        if (Volatile.Read(ref _writing) == 1)
        {
            throw new InvalidOperationException("A write is still in progress: await it before completing the request stream.");
        }

        _requestCompleted = true;
        RequestContent!.Complete();
        return Task.CompletedTask;
    }

    private void ThrowIfCannotWrite()
    {
        if (_requestCompleted)
        {
            throw new InvalidOperationException("The request stream has already been completed.");
        }

        if (CurrentStatus is { } status)
        {
            throw status.Code == StatusCode.OK
                ? new InvalidOperationException("The call has already finished; no more requests can be sent.")
                : StatusException();
        }
    }

    private ReadOnlyMemory<byte> Frame(TRequest message, bool compress)
    {
        var data = message.ToByteArray();
        if (_channel.MaxSendMessageSize is { } max && data.Length > max)
        {
            throw new RpcException(StatusCode.ResourceExhausted,
                $"Sending message exceeds the maximum configured message size ({data.Length} > {max}).");
        }

        var compressed = compress && _requestEncoding is not null;
        var payload = compressed ? Compression.Compress(_requestEncoding!, data) : data;
        var buffer = new ArrayBufferWriter<byte>(GrpcProtocol.HeaderSize + payload.Length);
        MessageFraming.WritePayload(buffer, payload, compressed);
        return buffer.WrittenMemory;
    }

    private byte[] Decode(ReceivedMessage received)
    {
        if (!received.Compressed)
        {
            return received.Payload;
        }

        if (!Compression.IsCompressing(_responseEncoding))
        {
            throw new RpcException(StatusCode.Internal, "The server sent a compressed message without a grpc-encoding.");
        }

        return Compression.Decompress(_responseEncoding!, received.Payload, _channel.MaxReceiveMessageSize ?? int.MaxValue);
    }

    private void ReadTrailers()
    {
        var response = _response!;
        if (!ResponseStatus.TryRead(response.TrailingHeaders, out var status, out var details))
        {
            status = new Status(StatusCode.Internal, "The response ended without a grpc-status trailer.");
        }
        else if (status.Code == StatusCode.OK && _messagesRead == 0 && _method.Type is MethodType.Unary or MethodType.ClientStreaming)
        {
            status = new Status(StatusCode.Internal, "The call ended with OK but without a response message.");
        }

        Finish(status, details, ResponseStatus.Metadata(response.TrailingHeaders));
        response.Dispose();
    }

    private TResponse? EndOfResponses()
    {
        var status = CurrentStatus!.Value;
        return status.Code == StatusCode.OK ? null : throw StatusException();
    }
}
