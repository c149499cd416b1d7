using System.Collections.Concurrent;
using System.Text;
using Grpc.Core;
using GrpcDvc.Tests.Probe;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Support;

/// <summary>The test-only dvc.testing.v1.ProbeService: calls that drive clients and peers into their corner cases.</summary>
public sealed class TestProbeService : ProbeService.ProbeServiceBase
{
    public const string Secret = "connection string with password=hunter2";

    private static readonly ConcurrentDictionary<string, TaskCompletionSource<DateTime>> HangsEnded = new();

    /// <summary>Completes when the Hang call with this tag saw its cancellation token fire (returns the call's deadline).</summary>
    public static Task<DateTime> HangEnded(string tag) => HangSignal(tag).Task;

    public override Task<EchoResponse> Echo(EchoRequest request, ServerCallContext context)
        => Task.FromResult(new EchoResponse { Text = request.Text, Payload = request.Payload });

    public override Task<EchoResponse> Fail(EchoRequest request, ServerCallContext context)
        => throw new InvalidOperationException(Secret);

    /// <summary>Waits only for the call's token, then records when and why it fired.</summary>
    public override async Task<EchoResponse> Sleep(SleepRequest request, ServerCallContext context)
    {
        var clock = context.GetHttpContext().RequestServices.GetRequiredService<TimeProvider>();
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

    public override async Task<InspectResponse> Inspect(InspectRequest request, ServerCallContext context)
    {
        var echoed = new Metadata();
        if (request.ResponseCompression.Length > 0)
        {
            // grpc-dotnet's way for a handler to choose the response encoding of its call.
            echoed.Add("grpc-internal-encoding-request", request.ResponseCompression);
        }

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
            RequestEncoding = context.RequestHeaders.GetValue("grpc-encoding") ?? string.Empty,
            HasDeadline = context.Deadline != DateTime.MaxValue,
        };
    }

    public override async Task Count(CountRequest request, IServerStreamWriter<EchoResponse> responseStream, ServerCallContext context)
    {
        for (var i = 1; i <= request.Count; i++)
        {
            await responseStream.WriteAsync(new EchoResponse { Text = $"#{i}" });
        }

        if (request.StatusCode != 0)
        {
            throw new RpcException(new Status((StatusCode)request.StatusCode, $"stopped after {request.Count}"));
        }
    }

    public override async Task Repeat(RepeatRequest request, IServerStreamWriter<EchoResponse> responseStream, ServerCallContext context)
    {
        await context.WriteResponseHeadersAsync(new Metadata { { "x-probe-count", request.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) } });
        for (var i = 1; i <= request.Count; i++)
        {
            await responseStream.WriteAsync(new EchoResponse { Text = $"{request.Text} {i}" });
        }

        if (request.HoldOpen)
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }

        context.ResponseTrailers.Add("x-probe-done", "yes");
        context.ResponseTrailers.Add("x-probe-raw-bin", [0xff, 0x00, 0x0d, 0x0a]);
    }

    public override async Task<EchoResponse> Collect(IAsyncStreamReader<EchoRequest> requestStream, ServerCallContext context)
    {
        var joined = new StringBuilder();
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            joined.Append(request.Text);
        }

        return new EchoResponse { Text = joined.ToString() };
    }

    public override async Task Chat(IAsyncStreamReader<EchoRequest> requestStream, IServerStreamWriter<EchoResponse> responseStream, ServerCallContext context)
    {
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            if (request.Text == "abort")
            {
                throw new RpcException(new Status(StatusCode.Aborted, "abort requested"));
            }

            await responseStream.WriteAsync(new EchoResponse { Text = $"re: {request.Text}", Payload = request.Payload });
        }
    }

    public override async Task<EchoResponse> Hang(HangRequest request, ServerCallContext context)
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
