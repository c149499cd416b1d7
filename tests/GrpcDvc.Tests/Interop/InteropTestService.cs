using Google.Protobuf;
using Grpc.Core;
using Grpc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Interop;

/// <summary>
/// grpc.testing.TestService as grpc/grpc doc/interop-test-descriptions.md ("Server") describes
/// it, so the official interop clients of other gRPC implementations can test our binding.
/// </summary>
public sealed class InteropTestService : TestService.TestServiceBase
{
    public const string EchoInitialKey = "x-grpc-test-echo-initial";
    public const string EchoTrailingKey = "x-grpc-test-echo-trailing-bin";

    public override Task<Empty> EmptyCall(Empty request, ServerCallContext context) => Task.FromResult(new Empty());

    public override async Task<SimpleResponse> UnaryCall(SimpleRequest request, ServerCallContext context)
    {
        RequireCompressedRequest(request.ExpectCompressed, context);
        await StartAsync(context);
        context.WriteOptions = CompressOnlyIf(request.ResponseCompressed);
        EndIfStatusAsked(request.ResponseStatus);
        return new SimpleResponse { Payload = Zeros(request.ResponseType, request.ResponseSize) };
    }

    /// <summary>Answers a different payload each time (the current time), marked cacheable by proxies.</summary>
    public override async Task<SimpleResponse> CacheableUnaryCall(SimpleRequest request, ServerCallContext context)
    {
        await context.WriteResponseHeadersAsync(new Metadata { { "cache-control", "max-age=60" } });
        var now = context.GetHttpContext().RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var nanoseconds = (now - DateTimeOffset.UnixEpoch).Ticks * 100;
        return new SimpleResponse
        {
            Payload = new Payload
            {
                Type = PayloadType.Compressable,
                Body = ByteString.CopyFromUtf8(nanoseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            },
        };
    }

    public override async Task StreamingOutputCall(
        StreamingOutputCallRequest request, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
    {
        await StartAsync(context);
        EndIfStatusAsked(request.ResponseStatus);
        await RespondAsync(request, responseStream, context);
    }

    public override async Task<StreamingInputCallResponse> StreamingInputCall(
        IAsyncStreamReader<StreamingInputCallRequest> requestStream, ServerCallContext context)
    {
        var sum = 0;
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            RequireCompressedRequest(request.ExpectCompressed, context);
            sum += request.Payload?.Body.Length ?? 0;
        }

        return new StreamingInputCallResponse { AggregatedPayloadSize = sum };
    }

    /// <summary>Answers each request as it arrives.</summary>
    public override async Task FullDuplexCall(
        IAsyncStreamReader<StreamingOutputCallRequest> requestStream, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
    {
        await StartAsync(context);
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            EndIfStatusAsked(request.ResponseStatus);
            await RespondAsync(request, responseStream, context);
        }
    }

    /// <summary>Answers nothing until the client half-closes, then answers every request in order.</summary>
    public override async Task HalfDuplexCall(
        IAsyncStreamReader<StreamingOutputCallRequest> requestStream, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
    {
        await StartAsync(context);
        var requests = new List<StreamingOutputCallRequest>();
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            requests.Add(request);
        }

        foreach (var request in requests)
        {
            EndIfStatusAsked(request.ResponseStatus);
            await RespondAsync(request, responseStream, context);
        }
    }

    /// <summary>Declared by test.proto so that clients can check UNIMPLEMENTED on a known service.</summary>
    public override Task<Empty> UnimplementedCall(Empty request, ServerCallContext context)
        => throw new RpcException(new Status(StatusCode.Unimplemented, "UnimplementedCall is unimplemented by design."));

    private static async Task RespondAsync(
        StreamingOutputCallRequest request, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
    {
        var clock = context.GetHttpContext().RequestServices.GetRequiredService<TimeProvider>();
        foreach (var parameters in request.ResponseParameters)
        {
            if (parameters.IntervalUs > 0)
            {
                await Task.Delay(TimeSpan.FromMicroseconds(parameters.IntervalUs), clock, context.CancellationToken);
            }

            responseStream.WriteOptions = CompressOnlyIf(parameters.Compressed);
            await responseStream.WriteAsync(new StreamingOutputCallResponse { Payload = Zeros(request.ResponseType, parameters.Size) });
        }
    }

    private static WriteOptions CompressOnlyIf(BoolValue? compressed) => new(compressed?.Value == true ? 0 : WriteFlags.NoCompress);

    /// <summary>
    /// The CompressedRequest feature. The binding tells the call's grpc-encoding, not each message's
    /// flag, so a stream that mixes compressed and uncompressed messages is judged by its encoding.
    /// </summary>
    private static void RequireCompressedRequest(BoolValue? expectCompressed, ServerCallContext context)
    {
        if (expectCompressed?.Value == true && string.IsNullOrEmpty(context.GetHttpContext().Request.Headers["grpc-encoding"].ToString()))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "Expected a compressed request, but it was not compressed."));
        }
    }

    /// <summary>
    /// Sends the response headers: the echoed initial metadata, and gzip offered for every response message
    /// (grpc-dotnet takes a call's response encoding from the grpc-internal-encoding-request header; whether a
    /// message really is compressed depends on its own request, through <see cref="CompressOnlyIf"/>). The
    /// echoed trailing metadata goes with the status.
    /// </summary>
    private static async Task StartAsync(ServerCallContext context)
    {
        if (context.RequestHeaders.Get(EchoTrailingKey) is { } trailing)
        {
            context.ResponseTrailers.Add(trailing);
        }

        var headers = new Metadata { { "grpc-internal-encoding-request", "gzip" } };
        if (context.RequestHeaders.Get(EchoInitialKey) is { } initial)
        {
            headers.Add(initial);
        }

        await context.WriteResponseHeadersAsync(headers);
    }

    /// <summary>The Echo Status feature: a request may ask the call to end with a given status.</summary>
    private static void EndIfStatusAsked(EchoStatus? status)
    {
        if (status is { Code: not 0 })
        {
            throw new RpcException(new Status((StatusCode)status.Code, status.Message));
        }
    }

    private static Payload Zeros(PayloadType type, int size)
    {
        if (type != PayloadType.Compressable)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"Payload type {type} is not supported."));
        }

        if (size < 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"Payload size {size} is negative."));
        }

        return new Payload { Type = type, Body = ByteString.CopyFrom(new byte[size]) };
    }
}
