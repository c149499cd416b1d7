using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Testing;

namespace GrpcDvc.Tests.Interop;

/// <summary>
/// The client side of grpc/grpc doc/interop-test-descriptions.md, written with our client SDK
/// (the generated <see cref="TestService.TestServiceClient"/> over <see cref="GrpcChannel"/>). Each case
/// follows the document's procedure and asserts what it says the client asserts; a case passes
/// when it returns. Server implementations nobody here wrote (the Ruby interop server) prove it.
/// </summary>
internal sealed class InteropClient(GrpcChannel channel)
{
    /// <summary>The message of the special_status_message case: whitespace, CR LF, a BMP and a non-BMP character.</summary>
    public const string SpecialStatusMessage = "\t\ntest with whitespace\r\nand Unicode BMP \u263A and non-BMP \U0001F608\t\n";

    private const string EchoInitialValue = "test_initial_metadata_value";
    private static readonly byte[] EchoTrailingValue = [0xab, 0xab, 0xab];

    /// <summary>Every case this client implements, by its name in the document.</summary>
    public static readonly IReadOnlyList<string> Cases =
    [
        "empty_unary", "large_unary", "client_compressed_unary", "client_streaming", "client_compressed_streaming",
        "server_streaming", "ping_pong", "empty_stream", "timeout_on_sleeping_server", "cancel_after_begin",
        "cancel_after_first_response", "status_code_and_message", "special_status_message", "custom_metadata",
        "unimplemented_method", "unimplemented_service",
    ];

    private readonly TestService.TestServiceClient _client = new(channel);

    public Task RunAsync(string testCase) => testCase switch
    {
        "empty_unary" => EmptyUnaryAsync(),
        "large_unary" => LargeUnaryAsync(),
        "client_compressed_unary" => ClientCompressedUnaryAsync(),
        "client_streaming" => ClientStreamingAsync(),
        "client_compressed_streaming" => ClientCompressedStreamingAsync(),
        "server_streaming" => ServerStreamingAsync(),
        "ping_pong" => PingPongAsync(),
        "empty_stream" => EmptyStreamAsync(),
        "timeout_on_sleeping_server" => TimeoutOnSleepingServerAsync(),
        "cancel_after_begin" => CancelAfterBeginAsync(),
        "cancel_after_first_response" => CancelAfterFirstResponseAsync(),
        "status_code_and_message" => StatusCodeAndMessageAsync("test status message"),
        "special_status_message" => StatusCodeAndMessageAsync(SpecialStatusMessage, unaryOnly: true),
        "custom_metadata" => CustomMetadataAsync(),
        "unimplemented_method" => UnimplementedMethodAsync(),
        "unimplemented_service" => UnimplementedServiceAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(testCase), testCase, "not an interop case this client implements"),
    };

    /// <summary>A payload of <paramref name="size"/> zero bytes, as every case sends.</summary>
    public static Payload Zeros(int size) => new() { Body = ByteString.CopyFrom(new byte[size]) };

    /// <summary>The large_unary request; the compression tests send it too.</summary>
    public static SimpleRequest LargeRequest(bool? expectCompressed = null) => new()
    {
        ResponseSize = 314159,
        Payload = Zeros(271828),
        ExpectCompressed = expectCompressed is { } expect ? new BoolValue { Value = expect } : null,
    };

    /// <summary>A response payload of the given size, all zeros (the document lets clients check the contents).</summary>
    public static void AssertZeros(int expectedSize, Payload? payload)
    {
        Assert.NotNull(payload);
        Assert.Equal(expectedSize, payload.Body.Length);
        Assert.True(payload.Body.Span.IndexOfAnyExcept((byte)0) < 0, "the payload body is not all zeros");
    }

    private static Task<T> Guard<T>(Task<T> task) => task.WaitAsync(TimeSpan.FromSeconds(30));

    private static Task Guard(Task task) => task.WaitAsync(TimeSpan.FromSeconds(30));

    private static Task<T> Guard<T>(AsyncUnaryCall<T> call) => Guard(call.ResponseAsync);

    private async Task EmptyUnaryAsync()
        => Assert.NotNull(await Guard(_client.EmptyCallAsync(new Empty())));

    private async Task LargeUnaryAsync()
        => AssertZeros(314159, (await Guard(_client.UnaryCallAsync(LargeRequest()))).Payload);

    /// <summary>First a probe the server must refuse, then a gzip-compressed and an uncompressed call.</summary>
    private async Task ClientCompressedUnaryAsync()
    {
        var probe = await Assert.ThrowsAsync<RpcException>(() => Guard(_client.UnaryCallAsync(
            LargeRequest(expectCompressed: true), new CallOptions())));
        Assert.Equal(StatusCode.InvalidArgument, probe.StatusCode);

        var compressed = await Guard(_client.UnaryCallAsync(
            LargeRequest(expectCompressed: true), Gzipped()));
        AssertZeros(314159, compressed.Payload);
        var uncompressed = await Guard(_client.UnaryCallAsync(LargeRequest(expectCompressed: false)));
        AssertZeros(314159, uncompressed.Payload);
    }

    private async Task ClientStreamingAsync()
    {
        using var call = _client.StreamingInputCall();
        foreach (var size in (int[])[27182, 8, 1828, 45904])
        {
            await Guard(call.RequestStream.WriteAsync(new StreamingInputCallRequest { Payload = Zeros(size) }));
        }

        await Guard(call.RequestStream.CompleteAsync());
        Assert.Equal(74922, (await Guard(call.ResponseAsync)).AggregatedPayloadSize);
    }

    /// <summary>A probe the server must refuse, then one stream whose first message is compressed and second is not.</summary>
    private async Task ClientCompressedStreamingAsync()
    {
        using (var probe = _client.StreamingInputCall(new CallOptions()))
        {
            var expectCompressed = new StreamingInputCallRequest { ExpectCompressed = new BoolValue { Value = true }, Payload = Zeros(27182) };
            await Guard(IgnoreEndedStream(probe.RequestStream.WriteAsync(expectCompressed)));
            await Guard(IgnoreEndedStream(probe.RequestStream.CompleteAsync()));
            var refused = await Assert.ThrowsAsync<RpcException>(() => Guard(probe.ResponseAsync));
            Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        }

        using var call = _client.StreamingInputCall(Gzipped());
        await Guard(call.RequestStream.WriteAsync(
            new StreamingInputCallRequest { ExpectCompressed = new BoolValue { Value = true }, Payload = Zeros(27182) }));
        call.RequestStream.WriteOptions = new WriteOptions(WriteFlags.NoCompress);
        await Guard(call.RequestStream.WriteAsync(
            new StreamingInputCallRequest { ExpectCompressed = new BoolValue { Value = false }, Payload = Zeros(45904) }));
        await Guard(call.RequestStream.CompleteAsync());
        Assert.Equal(73086, (await Guard(call.ResponseAsync)).AggregatedPayloadSize);
    }

    private async Task ServerStreamingAsync()
    {
        int[] sizes = [31415, 9, 2653, 58979];
        var request = new StreamingOutputCallRequest();
        request.ResponseParameters.AddRange(sizes.Select(size => new ResponseParameters { Size = size }));

        using var call = _client.StreamingOutputCall(request);
        var responses = await Guard(ReadAllAsync(call.ResponseStream));

        Assert.Equal(sizes, responses.Select(r => r.Payload.Body.Length));
        Assert.All(responses, r => AssertZeros(r.Payload.Body.Length, r.Payload));
    }

    private async Task PingPongAsync()
    {
        (int Response, int Request)[] exchanges = [(31415, 27182), (9, 8), (2653, 1828), (58979, 45904)];
        using var call = _client.FullDuplexCall();
        foreach (var (responseSize, requestSize) in exchanges)
        {
            await Guard(call.RequestStream.WriteAsync(Ask(responseSize, requestSize)));
            Assert.True(await Guard(call.ResponseStream.MoveNext(CancellationToken.None)), "the server ended the stream early");
            AssertZeros(responseSize, call.ResponseStream.Current.Payload);
        }

        await Guard(call.RequestStream.CompleteAsync());
        Assert.False(await Guard(call.ResponseStream.MoveNext(CancellationToken.None)), "exactly four responses");
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    private async Task EmptyStreamAsync()
    {
        using var call = _client.FullDuplexCall();
        await Guard(call.RequestStream.CompleteAsync());
        Assert.Empty(await Guard(ReadAllAsync(call.ResponseStream)));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    /// <summary>A 1 ms deadline on a duplex call the server keeps open: DEADLINE_EXCEEDED, however far the call got.</summary>
    private async Task TimeoutOnSleepingServerAsync()
    {
        using var call = _client.FullDuplexCall(new CallOptions(deadline: DateTime.UtcNow + TimeSpan.FromMilliseconds(1)));
        await Guard(IgnoreEndedStream(call.RequestStream.WriteAsync(new StreamingOutputCallRequest { Payload = Zeros(27182) })));

        var ex = await Assert.ThrowsAsync<RpcException>(() => Guard(call.ResponseStream.MoveNext(CancellationToken.None)));
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
    }

    private async Task CancelAfterBeginAsync()
    {
        using var cancel = new CancellationTokenSource();
        using var call = _client.StreamingInputCall(new CallOptions(cancellationToken: cancel.Token));
        await cancel.CancelAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => Guard(call.ResponseAsync));
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
    }

    private async Task CancelAfterFirstResponseAsync()
    {
        using var cancel = new CancellationTokenSource();
        using var call = _client.FullDuplexCall(new CallOptions(cancellationToken: cancel.Token));
        await Guard(call.RequestStream.WriteAsync(Ask(31415, 27182)));
        Assert.True(await Guard(call.ResponseStream.MoveNext(CancellationToken.None)), "no first response");
        await cancel.CancelAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => Guard(call.ResponseStream.MoveNext(CancellationToken.None)));
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
    }

    /// <summary>The server ends a unary and (unless <paramref name="unaryOnly"/>) a duplex call with the status asked for.</summary>
    private async Task StatusCodeAndMessageAsync(string message, bool unaryOnly = false)
    {
        var status = new EchoStatus { Code = (int)StatusCode.Unknown, Message = message };
        var unary = await Assert.ThrowsAsync<RpcException>(() => Guard(_client.UnaryCallAsync(new SimpleRequest { ResponseStatus = status })));
        Assert.Equal(StatusCode.Unknown, unary.StatusCode);
        Assert.Equal(message, unary.Status.Detail);
        if (unaryOnly)
        {
            return;
        }

        using var call = _client.FullDuplexCall();
        await Guard(call.RequestStream.WriteAsync(new StreamingOutputCallRequest { ResponseStatus = status }));
        await Guard(IgnoreEndedStream(call.RequestStream.CompleteAsync()));
        var duplex = await Assert.ThrowsAsync<RpcException>(() => Guard(ReadAllAsync(call.ResponseStream)));
        Assert.Equal(StatusCode.Unknown, duplex.StatusCode);
        Assert.Equal(message, duplex.Status.Detail);
    }

    /// <summary>A text header echoed as initial metadata and a binary one echoed as a trailer, unary and duplex.</summary>
    private async Task CustomMetadataAsync()
    {
        var options = new CallOptions(new Metadata
        {
            { InteropTestService.EchoInitialKey, EchoInitialValue },
            { InteropTestService.EchoTrailingKey, EchoTrailingValue },
        });

        using (var unary = _client.UnaryCallAsync(LargeRequest(), options))
        {
            AssertZeros(314159, (await Guard(unary.ResponseAsync)).Payload);
            Assert.Equal(EchoInitialValue, (await Guard(unary.ResponseHeadersAsync)).GetValue(InteropTestService.EchoInitialKey));
            Assert.Equal(EchoTrailingValue, unary.GetTrailers().GetValueBytes(InteropTestService.EchoTrailingKey));
        }

        using var duplex = _client.FullDuplexCall(options);
        await Guard(duplex.RequestStream.WriteAsync(Ask(314159, 271828)));
        await Guard(duplex.RequestStream.CompleteAsync());
        var responses = await Guard(ReadAllAsync(duplex.ResponseStream));
        AssertZeros(314159, Assert.Single(responses).Payload);
        Assert.Equal(EchoInitialValue, (await Guard(duplex.ResponseHeadersAsync)).GetValue(InteropTestService.EchoInitialKey));
        Assert.Equal(EchoTrailingValue, duplex.GetTrailers().GetValueBytes(InteropTestService.EchoTrailingKey));
    }

    private async Task UnimplementedMethodAsync()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => Guard(_client.UnimplementedCallAsync(new Empty())));
        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }

    private async Task UnimplementedServiceAsync()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => Guard(new UnimplementedService.UnimplementedServiceClient(channel).UnimplementedCallAsync(new Empty())));
        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }

    /// <summary>Grpc.Net.Client compresses a call's requests with the encoding this request header names.</summary>
    private static CallOptions Gzipped() => new(new Metadata { { "grpc-internal-encoding-request", "gzip" } });

    private static StreamingOutputCallRequest Ask(int responseSize, int requestSize)
    {
        var request = new StreamingOutputCallRequest { Payload = Zeros(requestSize) };
        request.ResponseParameters.Add(new ResponseParameters { Size = responseSize });
        return request;
    }

    private static async Task<List<T>> ReadAllAsync<T>(IAsyncStreamReader<T> reader)
    {
        var messages = new List<T>();
        while (await reader.MoveNext(CancellationToken.None))
        {
            messages.Add(reader.Current);
        }

        return messages;
    }

    /// <summary>
    /// A write or half-close may fail once the server has already ended the call (with the status
    /// the case is about); the status itself is what the case asserts, through the response side.
    /// Grpc.Net.Client reports a write into a stream the server has reset as the HTTP/2 error itself.
    /// </summary>
    private static async Task IgnoreEndedStream(Task write)
    {
        try
        {
            await write;
        }
        catch (Exception e) when (e is RpcException or System.Net.Http.HttpProtocolException or IOException or OperationCanceledException)
        {
        }
    }
}
