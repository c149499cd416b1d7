using System.Collections.Concurrent;
using System.Text;
using GrpcDvc.Grpc;
using GrpcDvc.Grpc.Wire;
using GrpcDvc.Tests.Probe;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Support;

/// <summary>Handlers of the test-only dvc.testing.v1.ProbeService.</summary>
public sealed class ProbeService
{
    public const string Secret = "connection string with password=hunter2";

    private static readonly ConcurrentDictionary<string, TaskCompletionSource<DateTime>> HangsEnded = new();

    /// <summary>Completes when the Hang call with this tag saw its cancellation token fire (returns the call's deadline).</summary>
    public static Task<DateTime> HangEnded(string tag) => HangSignal(tag).Task;

    public Task<EchoResponse> Echo(EchoRequest request, ServerCallContext context)
        => Task.FromResult(new EchoResponse { Text = request.Text, Payload = request.Payload });

    public Task<EchoResponse> Fail(EchoRequest request, ServerCallContext context)
        => throw new InvalidOperationException(Secret);

    /// <summary>Waits only for the call's token, then records when and why it fired.</summary>
    public async Task<EchoResponse> Sleep(SleepRequest request, ServerCallContext context)
    {
        var clock = context.Services.GetRequiredService<TimeProvider>();
        CancellationObservations.Started(request.RequestId);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, clock, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            CancellationObservations.TokenFired(request.RequestId, context, clock.GetUtcNow());
            throw;
        }

        throw new InvalidOperationException("An infinite wait ended without cancellation.");
    }

    public async Task<InspectResponse> Inspect(InspectRequest request, ServerCallContext context)
    {
        if (request.ResponseCompression.Length > 0)
        {
            context.ResponseCompressionAlgorithm = request.ResponseCompression;
        }

        var echoed = new Metadata();
        foreach (var entry in context.RequestHeaders.Where(e => e.Key.StartsWith("x-", StringComparison.Ordinal)))
        {
            echoed.Add(entry);
            context.ResponseTrailers.Add(entry);
        }

        await context.WriteResponseHeadersAsync(echoed);
        return new InspectResponse
        {
            Text = request.Text,
            Payload = request.Payload,
            RequestEncoding = context.RequestCompressionAlgorithm ?? string.Empty,
            HasDeadline = context.Deadline != DateTime.MaxValue,
        };
    }

    public async Task Count(CountRequest request, IServerStreamWriter<EchoResponse> responses, ServerCallContext context)
    {
        for (var i = 1; i <= request.Count; i++)
        {
            await responses.WriteAsync(new EchoResponse { Text = $"#{i}" });
        }

        if (request.StatusCode != 0)
        {
            throw new RpcException((StatusCode)request.StatusCode, $"stopped after {request.Count}");
        }
    }

    public async Task Repeat(RepeatRequest request, IServerStreamWriter<EchoResponse> responses, ServerCallContext context)
    {
        await context.WriteResponseHeadersAsync(new Metadata { { "x-probe-count", request.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) } });
        for (var i = 1; i <= request.Count; i++)
        {
            await responses.WriteAsync(new EchoResponse { Text = $"{request.Text} {i}" });
        }

        if (request.HoldOpen)
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }

        context.ResponseTrailers.Add("x-probe-done", "yes");
        context.ResponseTrailers.Add("x-probe-raw-bin", [0xff, 0x00, 0x0d, 0x0a]);
    }

    public async Task<EchoResponse> Collect(IAsyncStreamReader<EchoRequest> requests, ServerCallContext context)
    {
        var joined = new StringBuilder();
        await foreach (var request in requests.ReadAllAsync(context.CancellationToken))
        {
            joined.Append(request.Text);
        }

        return new EchoResponse { Text = joined.ToString() };
    }

    public async Task Chat(IAsyncStreamReader<EchoRequest> requests, IServerStreamWriter<EchoResponse> responses, ServerCallContext context)
    {
        await foreach (var request in requests.ReadAllAsync(context.CancellationToken))
        {
            if (request.Text == "abort")
            {
                throw new RpcException(StatusCode.Aborted, "abort requested");
            }

            await responses.WriteAsync(new EchoResponse { Text = $"re: {request.Text}", Payload = request.Payload });
        }
    }

    public async Task<EchoResponse> Hang(HangRequest request, ServerCallContext context)
    {
        try
        {
            // Headers first, so a client can tell the call reached the handler before it cancels.
            await context.WriteResponseHeadersAsync([]);
            await Task.Delay(Timeout.InfiniteTimeSpan, context.CancellationToken);
        }
        finally
        {
            HangSignal(request.Tag).TrySetResult(context.Deadline);
        }

        return new EchoResponse();
    }

    private static TaskCompletionSource<DateTime> HangSignal(string tag)
        => HangsEnded.GetOrAdd(tag, _ => new TaskCompletionSource<DateTime>(TaskCreationOptions.RunContinuationsAsynchronously));
}
